// The package and the demo in headless Chromium (Debian's, driven by
// playwright-core): golden vectors, directly and from apps built with Vite
// and with webpack as front-end engineers build theirs, the demo page verifying and
// rendering, a sticky assignment kept across reloads, a tampered snapshot
// refused, and a screenshot of the page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import webpack from 'webpack';
import { assertStorageKept, golden, installedProject, servedPages } from './fixtures.mjs';

const goldenFile = new URL('../../tests/vectors/golden.json', import.meta.url).pathname;
const screenshots = new URL('../../target/screenshots/', import.meta.url);
/** A host name Chromium resolves to the loopback page server (never looked up elsewhere). */
const LAN_HOST = 'lan.edgeflag.test';

async function setUp(t) {
  const base = await servedPages(t);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // A name for the loopback page server that is not "localhost": pages opened by it are not secure contexts.
      `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`,
    ],
  });
  t.after(() => browser.close());
  return { browser, base };
}

test('golden vectors evaluate identically in Chromium', async (t) => {
  const { browser, base } = await setUp(t);
  const tab = await browser.newPage();
  await tab.goto(`${base}test/golden.html`);
  const result = await tab.waitForFunction(() => window.goldenResult, null, { timeout: 30_000 });
  const { ran, failures } = await result.jsonValue();
  assert.equal(ran, golden.cases.length);
  assert.deepEqual(failures, []);
});

/** An app importing `edgeflag` from its node_modules and running the golden vectors, as its page's `goldenResult`. */
function goldenApp(t) {
  const runner = fileURLToPath(new URL('./golden-runner.mjs', import.meta.url));
  const main = `import { Engine, EvalContext, readDetails } from 'edgeflag';
import { runGolden } from ${JSON.stringify(runner)};
import golden from ${JSON.stringify(goldenFile)};
window.goldenResult = runGolden({ Engine, EvalContext, readDetails }, golden);
`;
  return installedProject(t, { 'index.html': '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n', 'main.js': main });
}

/**
 * Serves an app's built `dist/` (Vite's preview server) and has Chromium run
 * its page; checks the golden vectors' results and that the build emitted
 * the wasm as one file of its own (in `dist/` or below it, as `wasmDir`).
 */
async function checkBuiltApp(t, root, wasmDir) {
  const files = readdirSync(join(root, 'dist', wasmDir));
  assert.equal(files.filter((name) => name.endsWith('.wasm')).length, 1, `the wasm is one asset of its own: ${files}`);
  const server = await preview({ root, logLevel: 'silent', preview: { host: '127.0.0.1', port: 0 } });
  t.after(() => server.close());
  const { browser } = await setUp(t);
  const tab = await browser.newPage();
  await tab.goto(server.resolvedUrls.local[0]);
  const { ran, failures } = await (await tab.waitForFunction(() => window.goldenResult, null, { timeout: 30_000 })).jsonValue();
  assert.equal(ran, golden.cases.length);
  assert.deepEqual(failures, []);
}

test('an app built with Vite imports the package for browsers, ships the wasm as an asset, and evaluates the golden vectors identically', async (t) => {
  const root = goldenApp(t);
  await build({ root, logLevel: 'silent' });
  await checkBuiltApp(t, root, 'assets');
});

test('an app built with webpack imports the package for browsers, ships the wasm as an asset, and evaluates the golden vectors identically', async (t) => {
  const root = goldenApp(t);
  const compiler = webpack({ mode: 'production', context: root, entry: './main.js', output: { path: join(root, 'dist'), publicPath: 'auto' }, performance: { hints: false } });
  const stats = await new Promise((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result))));
  assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><meta charset="utf-8"><script src="./main.js"></script>\n');
  await checkBuiltApp(t, root, '.');
});

test('the browser storage adapters persist across reloads', async (t) => {
  const { browser, base } = await setUp(t);
  const tab = await (await browser.newContext()).newPage();
  await tab.goto(`${base}test/storage.html?phase=write`);
  const written = await (await tab.waitForFunction(() => window.storageResult, null, { timeout: 30_000 })).jsonValue();
  await tab.goto(`${base}test/storage.html?phase=read`);
  const read = await (await tab.waitForFunction(() => window.storageResult, null, { timeout: 30_000 })).jsonValue();
  assertStorageKept(written, read);
});

test('the storage adapters and the anonymous id work in a page that is not a secure context', async (t) => {
  // As when a page is opened over plain HTTP by a LAN address (say, from a phone): no crypto.randomUUID there.
  const { browser, base } = await setUp(t);
  const tab = await (await browser.newContext()).newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  const insecure = base.replace('127.0.0.1', LAN_HOST);
  await tab.goto(`${insecure}test/storage.html?phase=write`);
  const written = await (await tab.waitForFunction(() => window.storageResult, null, { timeout: 30_000 })).jsonValue();
  assert.deepEqual(errors, []);
  assert.equal(written.secureContext, false);
  assert.match(written.unit, /^[0-9a-f]{32}$/);
  assert.deepEqual(written.cookie, [{ flag: 'c', variant: 'z', version: 3 }], 'the cookie store works without Secure');
});

test('the demo verifies the snapshot, renders every flag, keeps sticky assignments and refuses tampering', async (t) => {
  const { browser, base } = await setUp(t);
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.goto(`${base}demo/`);
  await tab.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });

  assert.match(await tab.textContent('#status'), /^Verified snapshot v1 for “production”: 10 flags/);
  assert.equal(await tab.locator('#flags tbody tr').count(), 10);
  assert.equal(await tab.textContent('tr[data-flag="payments-v2"] td:nth-child(4)'), 'DISABLED');
  assert.equal(await tab.textContent('tr[data-flag="max-cart-items"] td:nth-child(2)'), '100');

  const sticky = await tab.textContent('#sticky');
  const assigned = /pricing-test → (\S+) \(SPLIT/.exec(sticky)?.[1];
  assert.ok(assigned, `the staff IP puts the unit in the pricing experiment: ${sticky}`);
  assert.match(await tab.evaluate(() => document.cookie), /ef_sticky=/);
  const unit = await tab.textContent('#unit');

  await tab.reload();
  await tab.waitForSelector('body[data-ready="true"]');
  assert.equal(await tab.textContent('#unit'), unit, 'the anonymous unit id survives a reload');
  assert.match(await tab.textContent('#sticky'), new RegExp(`pricing-test → ${assigned} \\(SPLIT, sticky\\)`));

  await tab.fill('#context', JSON.stringify({ targetingKey: 'user-13' }));
  await tab.waitForFunction(() => document.querySelector('tr[data-flag="new-checkout"] td:nth-child(4)')?.textContent === 'TARGETING_MATCH');

  const chart = await tab.textContent('#chart');
  assert.match(chart, /\d+ \(\d+\.\d %\)/);
  assert.doesNotMatch(chart, /STALE/, 'the rollout chart starts at today, while the snapshot is valid');

  await tab.click('#tamper');
  await tab.waitForFunction(() => document.querySelector('#tamper-result').textContent.length > 0);
  assert.match(await tab.textContent('#tamper-result'), /^Rejected by the signature check — still serving v1/);

  mkdirSync(screenshots, { recursive: true });
  const file = new URL('demo.png', screenshots).pathname;
  await tab.screenshot({ path: file, fullPage: true });
  assert.ok(statSync(file).size > 20_000, 'the screenshot shows a rendered page');
  assert.deepEqual(errors, []);
});
