export * from './load';
export * from './schema';
export { environments } from './environments';
