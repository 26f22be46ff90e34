export * from './app-service';
export { APP_DEFAULTS, effectiveResources, effectiveScaleOn } from './defaults';
