// Runs test workers under workerd (miniflare), kept apart from the plain fixtures
// so the Node-only tests do not load miniflare.
import { Miniflare } from 'miniflare';

/** Runs a test worker module from www/ (ES modules and the wasm resolved from the package) under workerd; disposed after the test. */
export function testWorker(t, script, options = {}) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: new URL(script, import.meta.url).pathname,
    modulesRoot: new URL('..', import.meta.url).pathname,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2025-01-01',
    ...options,
  });
  t.after(() => mf.dispose());
  return mf;
}
