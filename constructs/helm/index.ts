export * from './catalogue';
export * from './pinned-release';
