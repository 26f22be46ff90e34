import * as path from 'path';

/** Repository root (this file is `test/support/vendor.ts`). */
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The cache of pinned upstream files (CRDs, chart defaults, plugin schemas, example configurations), laid out like the
 * upstream mirror: `crds/<project>/...`, `charts/<chart>/...`, `schemas/...`, `configs/...`, `examples/...`.
 * Git-ignored; filled by `npm run vendor`. Tests read upstream data only through here.
 */
export const VENDOR_ROOT = path.join(ROOT, '.vendor-cache');

/** Absolute path of one pinned upstream file, by its path under the cache (`crds/eck/all-crds.yaml`). */
export function vendorFile(relative: string): string {
  return path.join(VENDOR_ROOT, relative);
}
