import { allDescribers } from '../../src/sources/registry.js';

/** Every source's describe step, as the app hands them to the bundle (its configuration section). */
export const DESCRIBERS = allDescribers();
