// The example edge worker in workerd (miniflare): real requests, a signed
// snapshot in real KV, sticky cookies, routing and rewriting by flag, and
// refused snapshots leaving the last good one serving.
import { spawnSync } from 'node:child_process';
import test from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from '../scripts/serve-demo.mjs';
import { golden, testKey, signEnvelope, snapshot } from './fixtures.mjs';
import { testWorker } from './workerd.mjs';

const key = testKey(21);
// The worker runs on the real clock: stamp snapshots around it.
const signed = (options = {}) => signEnvelope(snapshot({ now: Date.now(), ...options }), [key]);

async function worker(t) {
  const started = await startWorker({ publicKeys: [key.publicHex], environment: 'production', refreshMs: 0 });
  t.after(() => started.mf.dispose());
  return started;
}

const get = (mf, path, init = {}) => mf.dispatchFetch(`http://localhost${path}`, init);

test('a worker that cannot start is disposed, so its caller can exit', () => {
  const serveDemo = new URL('../scripts/serve-demo.mjs', import.meta.url).href;
  const missing = new URL('./no-such-worker.js', import.meta.url).href;
  const program = `import { startWorker } from ${JSON.stringify(serveDemo)};
    await startWorker({ publicKeys: [], environment: 'x', script: new URL(${JSON.stringify(missing)}) })
      .then(() => process.exit(2), (error) => console.log(error.code));`;
  // A workerd left running keeps the process alive; the bound only turns that hang into a failure.
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.error, undefined, 'the process exited by itself');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), 'ENOENT');
});
const cookiesOf = (response) => response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

test('the worker evaluates flags from the request context', async (t) => {
  const { mf, kv } = await worker(t);
  await kv.put('snapshot', signed({ version: 7 }));
  const response = await get(mf, '/flags', {
    headers: { 'cf-connecting-ip': '10.9.8.7', 'x-user-plan': 'premium', 'x-app-version': '2.4.0', 'user-agent': 'Mozilla/5.0 (iPhone)' },
    cf: { country: 'US' },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-edgeflag-version'), '7');
  const { version, flags } = await response.json();
  assert.equal(version, 7);
  assert.deepEqual([flags['new-checkout'].value, flags['new-checkout'].ruleId], [true, 'staff'], 'the IP from the request puts the unit in the staff segment');
  assert.equal(flags['max-cart-items'].value, 100);
  assert.equal(flags['checkout-theme'].value, 'dark');
  assert.equal(flags['payments-v2'].reason, 'DISABLED');
  const eu = await (await get(mf, '/flags', { cf: { country: 'DE' }, headers: { cookie: 'ef_uid=user-2' } })).json();
  assert.equal(eu.flags['recommendations-dark-launch'].ruleId, 'eu-beta-all', 'the cf country reaches the eu segment');
});

test('sticky assignments live in a cookie and survive a snapshot change', async (t) => {
  const { mf, kv } = await worker(t);
  await kv.put('snapshot', signed({ version: 1 }));
  const headers = { 'cf-connecting-ip': '10.0.0.1', cookie: 'ef_uid=emp-8' };
  const first = await get(mf, '/flags', { headers, cf: { country: 'US' } });
  const assigned = (await first.json()).flags['pricing-test'];
  assert.equal(assigned.reason, 'SPLIT');
  const cookie = cookiesOf(first);
  assert.match(cookie, /ef_sticky=/);

  // New weights would move this unit; its stored assignment keeps it where it was.
  const moved = assigned.variant === 'control' ? 'discount-20' : 'control';
  await kv.put('snapshot', signed({ version: 2, edit: (p) => (p.flags['pricing-test'].rules[0].serve.rollout.split = [{ variant: moved, weight: 100 }]) }));
  const again = await (await get(mf, '/flags', { headers: { ...headers, cookie: `${headers.cookie}; ${cookie}` }, cf: { country: 'US' } })).json();
  assert.equal(again.version, 2);
  assert.deepEqual([again.flags['pricing-test'].variant, again.flags['pricing-test'].sticky], [assigned.variant, true]);
  const stranger = await (await get(mf, '/flags', { headers: { 'cf-connecting-ip': '10.0.0.1', cookie: 'ef_uid=emp-9' }, cf: { country: 'US' } })).json();
  assert.equal(stranger.flags['pricing-test'].variant, moved, 'units without a stored assignment get the new split');
});

test('the blue-green switch routes and the canary banner rewrites the page', async (t) => {
  const { mf, kv } = await worker(t);
  await kv.put('snapshot', signed({ edit: (p) => (p.flags['canary-banner'].default.rollout.exposure = 100) }));
  const search = await get(mf, '/search?q=shoes', { headers: { cookie: 'ef_uid=unit-1' } });
  const flags = (await (await get(mf, '/flags', { headers: { cookie: 'ef_uid=unit-1' } })).json()).flags;
  assert.equal(search.headers.get('x-origin'), flags['search-backend'].value);
  assert.deepEqual(await search.json(), { origin: flags['search-backend'].value, query: 'shoes' });
  const page = await (await get(mf, '/', { headers: { cookie: 'ef_uid=unit-1' } })).text();
  assert.match(page, /<body><div id="canary-banner">/);

  await kv.put('snapshot', signed({ version: 2, edit: (p) => (p.flags['canary-banner'].default.rollout.exposure = 0) }));
  const plain = await (await get(mf, '/', { headers: { cookie: 'ef_uid=unit-1' } })).text();
  assert.doesNotMatch(plain, /canary-banner/, 'swapping the snapshot in KV changes the answer after refresh');
  assert.match(plain, /<h1>Hello!<\/h1>/);
});

test('flag values reach the page escaped and the origin switch only its known origins', async (t) => {
  const { mf, kv } = await worker(t);
  const hostile = (p) => {
    p.flags.greeting.variants.hello = '<script>alert(1)</script>';
    p.flags['search-backend'].variants = { blue: 'blue', green: 'evil.example\r\nx-injected: 1' };
    p.flags['search-backend'].rules[0].serve.rollout.exposure = 100;
    delete p.flags['canary-banner'];
  };
  await kv.put('snapshot', signed({ edit: hostile }));
  const page = await get(mf, '/', { headers: { cookie: 'ef_uid=unit-1' } });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<h1>&#60;script&#62;alert\(1\)&#60;\/script&#62;<\/h1>/);
  assert.doesNotMatch(html, /canary-banner/, 'a flag missing from the snapshot answers its fallback');
  const search = await get(mf, '/search?q=shoes', { headers: { cookie: 'ef_uid=unit-1' } });
  assert.deepEqual([search.status, search.headers.get('x-origin'), search.headers.get('x-injected')], [200, 'blue', null]);
});

test('a new visitor gets a unit cookie', async (t) => {
  const { mf, kv } = await worker(t);
  await kv.put('snapshot', signed());
  const response = await get(mf, '/flags');
  assert.match(cookiesOf(response), /ef_uid=[0-9a-f-]{36}/);
});

test('tampered, expired, rolled-back and wrong-environment snapshots are refused by name', async (t) => {
  const { mf, kv } = await worker(t);
  await kv.put('snapshot', signed({ version: 10 }));
  assert.equal((await get(mf, '/status')).headers.get('x-edgeflag-version'), '10');
  const tampered = JSON.parse(signed({ version: 11 }));
  tampered.payload = Buffer.from(JSON.stringify(snapshot({ now: Date.now(), version: 11, edit: (p) => (p.flags['payments-v2'].enabled = true) }))).toString('base64');
  const bad = [
    ['signature', JSON.stringify(tampered)],
    ['expiry', signed({ version: 11, expiresAt: Date.now() - 86_400_000 })],
    ['rollback', signed({ version: 9 })],
    ['environment', signed({ version: 11, environment: 'staging' })],
  ];
  for (const [check, envelope] of bad) {
    await kv.put('snapshot', envelope);
    const status = await (await get(mf, '/status')).json();
    assert.deepEqual([status.lastRefresh.status, status.lastRefresh.check], ['rejected', check]);
    assert.equal(status.meta.version, 10, `still serving version 10 after a ${check} refusal`);
    const flags = (await (await get(mf, '/flags')).json()).flags;
    assert.equal(flags['payments-v2'].value, false);
  }
});

test('a cold isolate with an empty KV key serves from the persisted last-good snapshot', async (t) => {
  const { mf, kv } = await worker(t);
  await kv.put('last-good', signed({ version: 4 }));
  const status = await (await get(mf, '/status')).json();
  assert.equal(status.meta.version, 4);
  assert.equal(status.lastRefresh.check, 'source');
});

test('golden vectors evaluate identically inside workerd', async (t) => {
  const mf = testWorker(t, './golden-worker.js');
  const response = await mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify(golden) });
  const { ran, failures } = await response.json();
  assert.equal(ran, golden.cases.length);
  assert.deepEqual(failures, []);
});

test('the Workers storage adapters work against real KV and the Cache API', async (t) => {
  const mf = testWorker(t, './storage-worker.js', { kvNamespaces: ['STICKY'] });
  const result = await (await mf.dispatchFetch('http://localhost/')).json();
  const expected = [{ flag: 'b', variant: 'y', version: 2 }, { flag: 'a', variant: 'z', version: 1 }];
  assert.deepEqual(result.sticky, expected, 'writes merge by flag, oldest first (a replaced assignment is the newest)');
  assert.deepEqual(result.raw, expected, 'stored under the prefixed unit key');
  assert.deepEqual(result.stranger, []);
  assert.equal(result.emptyCache, null);
  assert.equal(result.cached, '{"snapshot":1}');
  assert.equal(result.kv, '{"snapshot":2}');
});
