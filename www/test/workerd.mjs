// Test workers under workerd; kept apart from the plain fixtures so Node-only
// tests do not load miniflare.
import { packageWorker } from '../scripts/workerd.mjs';

/** Runs a test worker module (a path relative to www/test/) under workerd; disposed after the test. */
export function testWorker(t, script, options = {}) {
  const mf = packageWorker(new URL(script, import.meta.url), options);
  t.after(() => mf.dispose());
  return mf;
}
