// Runs worker modules from www/ under workerd (miniflare): the demo's
// example worker, the tests' workers and the benchmarks' share these rules.
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
