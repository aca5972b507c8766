// Runs workers from www/ under workerd (miniflare), for the tests and the
// benchmarks; kept apart from the plain fixtures so Node-only tests do not load miniflare.
import { Miniflare } from 'miniflare';

/**
 * A workerd (miniflare) running the worker module at URL `script` from www/,
 * its ES modules and the package's wasm resolved as Workers resolve them.
 */
export function packageWorker(script, options = {}) {
  return new Miniflare({
    modules: true,
    scriptPath: script.pathname,
    modulesRoot: new URL('..', import.meta.url).pathname,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2025-01-01',
    ...options,
  });
}

/** Runs a test worker module (a path relative to www/test/) under workerd; disposed after the test. */
export function testWorker(t, script, options = {}) {
  const mf = packageWorker(new URL(script, import.meta.url), options);
  t.after(() => mf.dispose());
  return mf;
}
