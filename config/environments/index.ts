import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';

/** Every environment the app synthesises, in order. Adding one: a file here, a line here, a name in ENVIRONMENT_NAMES. */
export const environments = { dev, staging, prod };
