// The example worker built the way Cloudflare Workers users build theirs:
// wrangler (a devDependency) bundles it, with its wrangler.toml, from a
// project with the package in its node_modules (`wrangler deploy --dry-run`: resolved through the
// `workerd`/`worker` conditions, the .wasm kept as a module of its own), and
// the output runs under workerd with a signed snapshot in KV. Nothing leaves
// the machine: no account, the banner and its update check off, npm's
// registry pointed at a closed loopback port for any other check.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'node:test';
import assert from 'node:assert/strict';
import { packageWorker } from '../scripts/workerd.mjs';
import { installedProject, testKey, signEnvelope, snapshot } from './fixtures.mjs';

const wrangler = fileURLToPath(new URL('../node_modules/.bin/wrangler', import.meta.url));
const example = (file) => readFileSync(new URL(`../worker/${file}`, import.meta.url), 'utf8');
const key = testKey(23);

/** Runs `wrangler deploy --dry-run` in `dir`; returns the files it wrote to `dir/out`. */
function wranglerBuild(dir) {
  const env = {
    ...process.env,
    WRANGLER_HIDE_BANNER: 'true',
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_LOG_PATH: join(dir, 'logs'),
    npm_config_registry: 'http://127.0.0.1:9/',
    XDG_CONFIG_HOME: join(dir, 'config'),
  };
  const child = spawnSync(wrangler, ['deploy', '--dry-run', '--outdir', 'out'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(child.error, undefined);
  assert.equal(child.status, 0, child.stderr + child.stdout);
  return readdirSync(join(dir, 'out'));
}

test('wrangler bundles the example worker with the package, and the bundle serves flags under workerd', async (t) => {
  // The example's own worker and wrangler.toml; the bindings under workerd below are the test's.
  const dir = installedProject(t, { 'worker.js': example('worker.js'), 'wrangler.toml': example('wrangler.toml') });
  const files = wranglerBuild(dir);
  const wasm = files.filter((file) => file.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm module beside the script: ${files}`);
  assert.deepEqual(readFileSync(join(dir, 'out', wasm[0])), readFileSync(new URL('../dist/edgeflag_bg.wasm', import.meta.url)), 'the package\'s module, as built');
  assert.match(readFileSync(join(dir, 'out', 'worker.js'), 'utf8'), new RegExp(`from "\\./${wasm[0]}"`), 'imported as a module, not inlined');

  const out = join(dir, 'out');
  const mf = packageWorker(pathToFileURL(join(out, 'worker.js')), {
    modulesRoot: out,
    kvNamespaces: ['FLAGS'],
    bindings: { PUBLIC_KEYS: key.publicHex, ENVIRONMENT: 'production', REFRESH_MS: '0' },
  });
  t.after(() => mf.dispose());
  await (await mf.getKVNamespace('FLAGS')).put('snapshot', signEnvelope(snapshot({ now: Date.now(), version: 5 }), [key]));
  const response = await mf.dispatchFetch('http://localhost/flags', { headers: { 'x-user-plan': 'premium' }, cf: { country: 'US' } });
  assert.equal(response.status, 200);
  const { version, flags } = await response.json();
  assert.equal(version, 5);
  assert.equal(flags['max-cart-items'].value, 100);
  assert.equal(flags['payments-v2'].reason, 'DISABLED');
  assert.match(response.headers.getSetCookie().join('; '), /ef_uid=/);
});
