export * from './errors';
export * from './labels';
export * from './quantity';
export * from './validate';
export * from './references';
