// The JS client in Node against the built package: API, sources (a real HTTP
// server on loopback), refresh, events, last-known-good, persistence, sticky.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  EdgeFlagClient, inlineSource, urlSource, memoryStore, requestCookieStore, assignmentsCookie, decodeAssignments, encodeAssignments, wasmMemoryBytes, anonymousId,
} from '../dist/node.js';
import { testKey, signEnvelope, snapshot, NOW, DAY } from './fixtures.mjs';

const key = testKey(11);
const signed = (options) => signEnvelope(snapshot(options), [key]);
const clientFor = (source, options = {}) =>
  new EdgeFlagClient({ source, publicKeys: [key.publicHex], environment: 'production', clock: () => NOW, ...options });

/** A source whose next answers the test scripts: envelopes, errors or hangs. */
function scriptedSource(...answers) {
  const queue = [...answers];
  return {
    calls: 0,
    async fetch() {
      this.calls += 1;
      const next = queue.length > 1 ? queue.shift() : queue[0];
      if (next instanceof Error) throw next;
      return { bytes: new TextEncoder().encode(next) };
    },
  };
}

test('typed getters, details and evaluate-all after ready', async () => {
  const client = clientFor(inlineSource(signed()));
  const meta = await client.ready();
  assert.equal(meta.version, 1);
  const user = { targetingKey: 'user-1', geo: { country: 'DE' }, plan: 'premium' };
  assert.equal(client.getBoolean('new-checkout', false, user), true);
  assert.equal(client.getNumber('max-cart-items', 0, user), 100);
  assert.equal(client.getString('greeting', 'x', user), 'Hello!');
  const layout = client.getObject('homepage-layout', {}, { targetingKey: 'alice', signup_date: '2026-11-02' });
  assert.deepEqual(layout, { hero: 'video', columns: 2, autoplay: false });
  assert.ok(Object.isFrozen(layout), 'object values are the snapshot\'s own, frozen');
  assert.deepEqual(client.getObject('greeting', { fallback: true }, user), { fallback: true }, 'a string flag is not an object');
  assert.equal(client.getString('homepage-layout', 'x', user), 'x', 'an object flag is not a string');
  assert.equal(client.getBoolean('payments-v2', true, user), false);
  const detail = client.getDetails('max-cart-items', 0, user);
  assert.deepEqual([detail.reason, detail.variant, detail.ruleId], ['TARGETING_MATCH', 'premium', 'premium-plan']);
  assert.deepEqual(client.getDetails('missing', 7, user), { value: 7, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', errorMessage: 'flag not found in the serving snapshot' });
  assert.equal(client.getDetails('greeting', false, user).errorCode, 'TYPE_MISMATCH');
  assert.equal(client.getBoolean('greeting', true, user), true, 'a wrong type serves the fallback');
  const all = client.evaluateAll(user);
  assert.equal(Object.keys(all).length, 10);
  assert.equal(all['payments-v2'].reason, 'DISABLED');
  const handle = client.context(user);
  assert.equal(client.getBoolean('new-checkout', false, handle), true);
  handle.free();
});

test('flag keys that are Object.prototype names stay ordinary keys', async () => {
  const flag = { type: 'boolean', variants: { on: true, off: false }, off_variant: 'off', default: 'on' };
  const edit = (payload) => {
    for (const key of ['__proto__', 'constructor', 'hasOwnProperty']) Object.defineProperty(payload.flags, key, { value: flag, enumerable: true });
  };
  const client = clientFor(inlineSource(signed({ edit })));
  await client.ready();
  const all = client.evaluateAll({ targetingKey: 'u' });
  assert.equal(Object.getPrototypeOf(all), Object.prototype);
  for (const key of ['__proto__', 'constructor', 'hasOwnProperty']) {
    assert.ok(Object.hasOwn(all, key), key);
    assert.equal(all[key].value, true, key);
    assert.equal(client.getBoolean(key, false, { targetingKey: 'u' }), true, key);
  }
});

test('evaluation never throws: hostile contexts and no snapshot give fallbacks', async () => {
  const client = clientFor(scriptedSource(new Error('offline')));
  assert.equal(await client.ready(), null);
  assert.equal(client.getBoolean('new-checkout', true), true);
  assert.equal(client.getDetails('new-checkout', false).errorCode, 'GENERAL');
  const loaded = clientFor(inlineSource(signed()));
  await loaded.ready();
  let deep = {};
  for (let i = 0; i < 50; i += 1) deep = { a: deep };
  assert.equal(loaded.getString('checkout-theme', 'fallback', deep), 'fallback');
  assert.equal(loaded.getDetails('checkout-theme', 'fallback', deep).errorCode, 'INVALID_CONTEXT');
  assert.equal(loaded.getString('greeting', 'fallback', deep), 'Hello!', 'a flag with one value for everyone needs no context');
  const circular = { plan: 'premium' };
  circular.self = circular;
  assert.equal(loaded.getNumber('max-cart-items', -1, circular), -1);
  assert.equal(loaded.getDetails('max-cart-items', -1, circular).errorCode, 'INVALID_CONTEXT');
  assert.equal(loaded.getNumber('max-cart-items', -1, { plan: 'premium', callback: () => 1 }), 100, 'functions are ignored, as JSON does');
  const oddKeys = { [Symbol('hidden')]: 'x', 7: 'seven', plan: 'enterprise', huge: 10n ** 30n };
  assert.equal(loaded.getDetails('max-cart-items', -1, oddKeys).errorCode, 'INVALID_CONTEXT', 'a BigInt attribute cannot cross as JSON');
  delete oddKeys.huge;
  assert.equal(loaded.getNumber('max-cart-items', -1, oddKeys), 100, 'symbol keys are ignored and numeric keys become strings');
});

test('a source answering neither bytes nor notModified is a failed refresh, not a rejection', async () => {
  for (const answer of [null, undefined, {}, { bytes: 42 }]) {
    const client = clientFor({ fetch: async () => answer });
    assert.equal(await client.ready(), null, JSON.stringify(answer));
    assert.deepEqual(await client.refresh(), { status: 'failed', check: 'source', message: 'the source answered neither bytes nor notModified' });
    assert.equal(client.failures, 2);
  }
});

test('a client context the core refuses answers every fallback instead of throwing', async () => {
  const client = clientFor(inlineSource(signed()), { sticky: memoryStore() });
  await client.ready();
  let deep = {};
  for (let i = 0; i < 40; i += 1) deep = { a: deep };
  const context = client.context(deep);
  assert.equal(context.handle, 0);
  assert.equal(context.refusal, 'INVALID_CONTEXT: the context is nested deeper than 16 levels');
  assert.equal(client.getString('checkout-theme', 'fallback', context), 'fallback');
  assert.equal(client.getString('greeting', 'fallback', context), 'Hello!', 'a flag with one value for everyone needs no context');
  const detail = client.getDetails('checkout-theme', 'fallback', context);
  assert.deepEqual([detail.value, detail.reason, detail.errorCode, detail.errorMessage], ['fallback', 'ERROR', 'INVALID_CONTEXT', context.refusal]);
  assert.deepEqual(client.evaluateAll(context), {});
  const sticky = await client.stickyContext({ targetingKey: 'user-1', huge: 'x'.repeat(2 ** 21) });
  assert.match(sticky.refusal, /longer than 1048576 bytes/);
  assert.deepEqual(await client.persistAssignments(sticky), []);
  assert.equal(client.context({ targetingKey: 'user-1' }).refusal, undefined);
  context.free();
  sticky.free();
});

test('a flag key that cannot name a flag answers the fallback without reaching the core', async () => {
  const client = clientFor(inlineSource(signed()));
  await client.ready();
  const before = wasmMemoryBytes();
  for (const key of [undefined, null, 42, {}, Symbol('key'), 'x'.repeat(50_000_000)]) {
    assert.equal(client.getBoolean(key, true), true, String(typeof key));
    assert.equal(client.getDetails(key, 'fallback').errorCode, 'FLAG_NOT_FOUND', String(typeof key));
  }
  assert.equal(wasmMemoryBytes(), before, 'a 50 MB key was not copied into wasm memory');
  for (let i = 0; i < 5_000; i += 1) client.getBoolean(`no-such-flag-${i}`, false);
  assert.equal(client.getString('greeting', 'none', {}), 'Hello!', 'flags still resolve after many missing keys');
  assert.equal(client.getBoolean('no-such-flag-4999', true), true);
});

test('refresh emits changed with the changed keys and skips unchanged flags', async () => {
  const edited = signed({ version: 2, edit: (p) => (p.flags.greeting.default = 'moin') });
  const source = scriptedSource(signed(), signed({ version: 2, edit: (p) => (p.flags.greeting.default = 'moin') }), edited);
  const client = clientFor(source);
  const changes = [];
  const loads = [];
  client.on('changed', (event) => changes.push(event.keys));
  client.on('loaded', (event) => loads.push([event.meta.version, event.changed.length]));
  await client.ready();
  assert.equal(changes[0].length, 10, 'the first load changes every flag');
  assert.deepEqual(await client.refresh(), { status: 'loaded', changed: ['greeting'] });
  assert.equal(client.getString('greeting', '', {}), 'Moin!');
  assert.deepEqual(await client.refresh(), { status: 'loaded', changed: [] });
  assert.deepEqual(changes.slice(1), [['greeting']]);
  assert.deepEqual(loads, [[1, 10], [2, 1], [2, 0]], 'every accepted snapshot is reported, even one changing nothing');
});

test('refreshes asked for while one is fetching run after it: a late older answer is not a rollback', async () => {
  const published = [signed({ version: 1 })];
  const pending = [];
  // Each fetch answers what is published when it starts, once the test releases it.
  const source = {
    fetch() {
      const answer = published.at(-1);
      return new Promise((resolve) => pending.push(() => resolve({ bytes: new TextEncoder().encode(answer) })));
    },
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  const client = clientFor(source);
  const errors = [];
  client.on('error', (e) => errors.push(e.check));
  const ready = client.ready();
  await settle();
  pending.shift()();
  await ready;
  published.push(signed({ version: 2 }));
  const first = client.refresh();
  published.push(signed({ version: 3 }));
  const second = client.refresh();
  await settle();
  assert.equal(pending.length, 1, 'the second refresh has not fetched while the first is fetching');
  pending.shift()();
  assert.equal((await first).status, 'loaded');
  await settle();
  assert.equal(pending.length, 1, 'the second refresh fetches once the first has loaded');
  pending.shift()();
  assert.equal((await second).status, 'loaded');
  assert.equal(client.meta.version, 3, 'the second refresh fetched what was published after the first began');
  assert.deepEqual(errors, []);
});

test('sources are told the size cap: the one configured, else the core\'s default of 16 MiB', async () => {
  const told = [];
  const source = { fetch: async ({ maxBytes }) => (told.push(maxBytes), { bytes: new TextEncoder().encode(signed()) }) };
  await clientFor(source).ready();
  await clientFor(source, { maxBytes: 4096 }).ready();
  assert.deepEqual(told, [16 * 1024 * 1024, 4096]);
});

test('an envelope over the size cap is refused before it reaches wasm memory', async () => {
  const oversized = new Uint8Array(64 * 1024 * 1024 + 1);
  const source = { fetch: async () => ({ bytes: oversized }) };
  const client = clientFor(source, { maxBytes: 64 * 1024 * 1024 });
  const before = wasmMemoryBytes();
  assert.equal(await client.ready(), null);
  const result = await client.refresh();
  assert.deepEqual([result.status, result.check, result.message], ['rejected', 'size', 'size check failed: 67108865 bytes exceed the cap of 67108864']);
  assert.equal(wasmMemoryBytes(), before, 'the memory did not grow');
  client.free();
});

test('a load parses its changed keys only when someone reads them, once', async () => {
  const source = scriptedSource(signed(), signed({ version: 2, edit: (p) => (p.flags.greeting.default = 'moin') }));
  const parse = JSON.parse;
  let keyParses = 0;
  JSON.parse = (text, ...rest) => {
    if (typeof text === 'string' && text.startsWith('["')) keyParses += 1;
    return parse(text, ...rest);
  };
  try {
    const client = clientFor(source);
    await client.ready();
    assert.equal(keyParses, 0, 'a cold start with no listener parses no keys');
    const result = await client.refresh();
    assert.equal(keyParses, 0, 'nor does a refresh until its result is read');
    assert.deepEqual(result.changed, ['greeting']);
    assert.equal(result.changed, result.changed, 'the same array on every read');
    assert.equal(keyParses, 1);
  } finally {
    JSON.parse = parse;
  }
});

test('rejected refreshes keep the last good snapshot and report the check', async () => {
  const other = testKey(12);
  const source = scriptedSource(
    signed({ version: 5 }),
    signed({ version: 4 }),
    signEnvelope(snapshot({ version: 6 }), [other]),
    signed({ version: 6, environment: 'staging' }),
    signed({ version: 6, expiresAt: NOW - DAY }),
    '{"payloadType":',
    signed({ version: 6 }),
  );
  const client = clientFor(source, { staleAfterFailures: 3 });
  const errors = [];
  const stale = [];
  client.on('error', (e) => errors.push(e.check));
  client.on('stale', (e) => stale.push(e.reason));
  await client.ready();
  for (const check of ['rollback', 'signature', 'environment', 'expiry', 'envelope']) {
    const result = await client.refresh();
    assert.deepEqual([result.status, result.check], ['rejected', check]);
    assert.equal(client.meta.version, 5);
    assert.equal(client.getBoolean('payments-v2', true, {}), false);
  }
  assert.deepEqual(errors, ['rollback', 'signature', 'environment', 'expiry', 'envelope']);
  assert.deepEqual(stale, ['refresh-failing']);
  assert.equal((await client.refresh()).status, 'loaded');
  assert.equal(client.meta.version, 6);
  assert.equal(client.failures, 0);
});

test('an expired serving snapshot raises stale once and serves STALE values', async () => {
  let now = NOW;
  const client = clientFor(inlineSource(signed({ expiresAt: NOW + 1000 })), { clock: () => now });
  const stale = [];
  client.on('stale', (e) => stale.push(e.reason));
  await client.ready();
  now = NOW + 2000;
  assert.equal(client.getDetails('greeting', '', {}).reason, 'STALE');
  assert.equal(client.getString('greeting', '', {}), 'Hello!');
  assert.deepEqual(stale, ['expired']);
});

test('with maxStaleMs an expired snapshot stops answering past the limit, until a fresh one loads', async () => {
  let now = NOW;
  const source = scriptedSource(signed({ expiresAt: NOW + 1000 }), signed({ version: 2, now: NOW + 10_000 }));
  const client = clientFor(source, { clock: () => now, maxStaleMs: 5000 });
  await client.ready();
  const user = client.context({ targetingKey: 'user-1' });
  const answers = () => [client.getString('greeting', 'fallback', user), client.getBoolean('new-checkout', false, user), client.getDetails('greeting', 'fallback', user).reason];
  const before = answers();
  now = NOW + 6000; // expired, within the limit: still the snapshot's answers
  assert.deepEqual(answers(), [before[0], before[1], 'STALE']);
  assert.equal(before[0], 'Hello!', 'greeting serves everyone alike: without maxStaleMs the client answers it without the core');
  now = NOW + 6001; // past the limit: every caller's fallback
  assert.deepEqual(answers(), ['fallback', false, 'ERROR']);
  assert.deepEqual(
    [client.getDetails('greeting', 'fallback', user).errorCode, client.getDetails('greeting', 'fallback', user).errorMessage],
    ['GENERAL', 'no snapshot is serving'],
  );
  assert.deepEqual(client.evaluateAll(user), {});
  now = NOW + 10_000;
  assert.equal((await client.refresh()).status, 'loaded');
  assert.deepEqual(answers(), [before[0], before[1], before[2]], 'a fresh snapshot answers again');
  user.free();
});

test('a cold start serves the persisted snapshot, re-verified, when the source is down', async () => {
  const saved = [];
  const persistence = { load: async () => new TextEncoder().encode(signed({ version: 3 })), save: async (b) => void saved.push(b) };
  const client = clientFor(scriptedSource(new Error('unreachable')), { persistence });
  const meta = await client.ready();
  assert.equal(meta.version, 3);
  assert.equal(client.getBoolean('payments-v2', true, {}), false);

  const forged = { load: async () => new TextEncoder().encode(signEnvelope(snapshot({ version: 3 }), [testKey(13)])), save: async () => {} };
  const refused = clientFor(scriptedSource(new Error('unreachable')), { persistence: forged });
  assert.equal(await refused.ready(), null, 'a persisted snapshot is never trusted blindly');

  const healthy = clientFor(inlineSource(signed({ version: 4 })), { persistence });
  await healthy.ready();
  assert.equal(saved.length, 1, 'a good snapshot from the source is persisted');
});

test('a persisted snapshot is the floor of a cold start: an older one replayed by the source is refused', async () => {
  const persistence = { load: async () => new TextEncoder().encode(signed({ version: 5 })), save: async () => {} };
  const client = clientFor(inlineSource(signed({ version: 3 })), { persistence });
  const errors = [];
  client.on('error', (e) => errors.push(e.check));
  assert.equal((await client.ready()).version, 5);
  assert.deepEqual(errors, ['rollback'], 'a fresh process refuses the replayed version 3');
});

test('sticky assignments are handed back, stored, and served', async () => {
  const sticky = memoryStore();
  const client = clientFor(inlineSource(signed()), { sticky });
  await client.ready();
  const attributes = { targetingKey: 'emp-8', ip: '2001:db8::1' };
  const first = await client.stickyContext(attributes);
  const variant = client.getDetails('pricing-test', '', first).variant;
  await first.persist();
  assert.deepEqual(await sticky.read('emp-8'), [{ flag: 'pricing-test', variant, version: 1 }]);
  const again = await client.stickyContext(attributes);
  const detail = client.getDetails('pricing-test', '', again);
  assert.deepEqual([detail.variant, detail.sticky], [variant, true]);
  assert.deepEqual(again.takeAssignments(), [], 'a served assignment is not handed back again');
});

test('anonymousId survives storage the browser blocks: an id for the page instead of a throw', () => {
  const blocked = () => {
    throw new Error('SecurityError: the operation is insecure');
  };
  const document = { get cookie() { return blocked(); }, set cookie(value) { blocked(); } };
  assert.match(anonymousId({ document, storage: { getItem: blocked, setItem: blocked } }), /^[0-9a-f]{32}$/);
  Object.defineProperty(globalThis, 'localStorage', { get: blocked, configurable: true });
  try {
    assert.match(anonymousId(), /^[0-9a-f]{32}$/, 'reading the localStorage global itself throws in such frames');
  } finally {
    delete globalThis.localStorage;
  }
  const kept = new Map();
  const storage = { getItem: (key) => kept.get(key) ?? null, setItem: (key, value) => kept.set(key, value) };
  const first = anonymousId({ document: undefined, storage });
  assert.equal(anonymousId({ document: undefined, storage }), first, 'stable where storage works');
});

test('worker cookie helpers round-trip assignments', async () => {
  const assignments = [{ flag: 'pricing-test', variant: 'discount-10', version: 1 }];
  assert.deepEqual(decodeAssignments(encodeAssignments('u1', assignments)), { unit: 'u1', assignments });
  const many = Array.from({ length: 200 }, (_, i) => ({ flag: `experiment-${i}`, variant: 'treatment', version: 1 }));
  const crowded = encodeAssignments('u1', many);
  const kept = decodeAssignments(crowded).assignments;
  assert.ok(crowded.length <= 4000 && kept.length > 20, 'a cookie value browsers keep (name and value within 4,096 bytes)');
  assert.deepEqual(kept, many.slice(-kept.length), 'the newest assignments that fit');
  assert.ok(encodeURIComponent(JSON.stringify({ u: 'u1', a: many.slice(-kept.length - 1).map((a) => Object.values(a)) })).length > 4000, 'no more would fit');
  assert.equal(decodeAssignments('garbage%'), null);
  const cookie = assignmentsCookie('u1', assignments);
  const request = new Request('http://localhost/', { headers: { cookie: `other=1; ${cookie.split(';')[0]}` } });
  const store = requestCookieStore(request);
  assert.deepEqual(await store.read('u1'), assignments);
  assert.deepEqual(await store.read('u2'), []);
  assert.equal(store.setCookie(), undefined);
  await store.write('u1', [{ flag: 'x', variant: 'a', version: 2 }]);
  assert.match(store.setCookie(), /^ef_sticky=.*HttpOnly$/);
});

/** A loopback HTTP server whose behaviour each test sets per request. */
async function withServer(handler, run) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${server.address().port}/snapshot.json`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('urlSource revalidates with ETag and gets 304 when unchanged', async () => {
  const body = signed();
  const seen = [];
  await withServer((req, res) => {
    seen.push(req.headers['if-none-match']);
    if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
    res.writeHead(200, { etag: '"v1"' }).end(body);
  }, async (url) => {
    const client = clientFor(urlSource(url));
    await client.ready();
    assert.deepEqual(await client.refresh(), { status: 'not-modified' });
    assert.deepEqual(seen, [undefined, '"v1"']);
  });
});

test('urlSource does not download a body longer than the client\'s size cap', async () => {
  let served = 0;
  await withServer((req, res) => {
    served += 1;
    // Says 65 MiB, sends one chunk and keeps the connection open: reading it would time out.
    res.writeHead(200, { 'content-length': String(65 * 1024 * 1024) });
    res.write(new Uint8Array(1024));
    req.on('close', () => res.destroy());
  }, async (url) => {
    const client = clientFor(urlSource(url, { timeoutMs: 2000 }), { maxBytes: 64 * 1024 * 1024 });
    assert.equal(await client.ready(), null);
    const result = await client.refresh();
    assert.deepEqual([result.status, result.check, result.message], ['failed', 'source', `${url} sends more than the size cap of 67108864 bytes`]);
    assert.equal(served, 2, 'one request per refresh: refused at once, not retried');
  });
});

test('urlSource stops reading a body without Content-Length once it passes the size cap', async () => {
  let served = 0;
  await withServer((req, res) => {
    served += 1;
    // Chunked, 1.5 MiB and then the connection held open: reading it whole would time out.
    res.writeHead(200);
    for (let i = 0; i < 24; i += 1) res.write(new Uint8Array(64 * 1024));
    req.on('close', () => res.destroy());
  }, async (url) => {
    const client = clientFor(urlSource(url, { timeoutMs: 2000 }), { maxBytes: 1024 * 1024 });
    assert.equal(await client.ready(), null);
    const result = await client.refresh();
    assert.deepEqual([result.status, result.check, result.message], ['failed', 'source', `${url} sends more than the size cap of 1048576 bytes`]);
    assert.equal(served, 2, 'one request per refresh: refused at once, not retried');
  });
});

test('urlSource reads a chunked body within the size cap whole', async () => {
  const body = new TextEncoder().encode(signed());
  await withServer((req, res) => {
    res.writeHead(200);
    for (let at = 0; at < body.length; at += 100) res.write(body.subarray(at, at + 100));
    res.end();
  }, async (url) => {
    const client = clientFor(urlSource(url), { maxBytes: body.length });
    assert.equal((await client.ready())?.version, 1);
  });
});

test('urlSource retries 5xx with backoff, gives up on 404, times out on hangs', async () => {
  let requests = 0;
  await withServer((req, res) => {
    requests += 1;
    if (requests <= 2) return res.writeHead(503).end();
    res.writeHead(200).end(signed());
  }, async (url) => {
    const client = clientFor(urlSource(url, { retries: 2, backoffMs: 5 }));
    assert.equal((await client.ready()).version, 1);
    assert.equal(requests, 3);
  });
  requests = 0;
  await withServer((req, res) => {
    requests += 1;
    res.writeHead(404).end();
  }, async (url) => {
    const client = clientFor(urlSource(url, { retries: 3, backoffMs: 5 }));
    const errors = [];
    client.on('error', (e) => errors.push(e));
    assert.equal(await client.ready(), null);
    assert.equal(requests, 1, 'a 404 is not retried');
    assert.deepEqual([errors[0].check, errors[0].failures], ['source', 1]);
    assert.match(errors[0].message, /HTTP 404/);
  });
  await withServer(() => {}, async (url) => {
    const result = await clientFor(urlSource(url, { retries: 1, timeoutMs: 50, backoffMs: 5 })).refresh();
    assert.equal(result.status, 'failed');
    assert.match(result.message, /timed out after 50 ms/);
  });
});

test('a truncated body is rejected by the envelope check and the client recovers', async () => {
  const body = signed({ version: 2 });
  let requests = 0;
  await withServer((req, res) => {
    requests += 1;
    res.writeHead(200).end(requests === 2 ? body.slice(0, body.length / 2) : body);
  }, async (url) => {
    const client = clientFor(urlSource(url, { retries: 0 }));
    await client.ready();
    const truncated = await client.refresh();
    assert.deepEqual([truncated.status, truncated.check], ['rejected', 'envelope']);
    assert.equal(client.meta.version, 2);
    assert.equal((await client.refresh()).status, 'loaded');
  });
});

test('interval refresh backs off while failing and recovers by itself', async () => {
  const healed = signed({ version: 2, edit: (p) => (p.flags.greeting.default = 'moin') });
  const source = scriptedSource(signed({ version: 1 }), new Error('down'), new Error('down'), healed);
  const client = clientFor(source, { refreshIntervalMs: 20 });
  await client.ready();
  const recovered = new Promise((resolve) => client.on('changed', (e) => e.meta.version === 2 && resolve(e)));
  let deadline;
  await Promise.race([recovered, new Promise((_, reject) => (deadline = setTimeout(() => reject(new Error('no recovery within 5 s')), 5000)))]);
  clearTimeout(deadline);
  client.close();
  assert.equal(client.meta.version, 2);
  assert.ok(source.calls >= 4);
});
