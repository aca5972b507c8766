// The wasm core in Node: golden vectors, signatures from an independent
// signer, and every refusal keeping the last good snapshot.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Engine, EvalContext, readDetails, wasmMemoryBytes } from '../dist/node.js';
import { golden, testKey, signEnvelope, snapshot, NOW, DAY } from './fixtures.mjs';
import { runGolden } from './golden-runner.mjs';

const encode = (text) => new TextEncoder().encode(text);

test('golden vectors evaluate identically to native Rust', () => {
  const { ran, failures } = runGolden({ Engine, EvalContext, readDetails }, golden);
  assert.equal(ran, golden.cases.length);
  assert.deepEqual(failures, []);
});

test('a snapshot signed by node:crypto verifies in the core', () => {
  const key = testKey(3);
  const engine = new Engine([key.publicHex], 'production');
  const changed = JSON.parse(engine.loadJson(encode(signEnvelope(snapshot(), [key])), NOW));
  assert.ok(changed.includes('new-checkout'));
  assert.equal(JSON.parse(engine.metaJson()).flagCount, 10);
});

test('an envelope as another DSSE tool writes it verifies: URL-safe base64, no keyid, members the core does not know', () => {
  const key = testKey(3);
  const envelope = JSON.parse(signEnvelope(snapshot(), [key]));
  const urlSafe = (text) => text.replaceAll('+', '-').replaceAll('/', '_');
  const { sig } = envelope.signatures[0];
  assert.notEqual(urlSafe(envelope.payload + sig), envelope.payload + sig, 'the base64 has a + or a /');
  const foreign = { ...envelope, payload: urlSafe(envelope.payload), signatures: [{ sig: urlSafe(sig), cert: 'not read' }], extra: 1 };
  const engine = new Engine([key.publicHex], 'production');
  engine.loadJson(encode(JSON.stringify(foreign)), NOW);
  assert.equal(JSON.parse(engine.metaJson()).flagCount, 10);
});

test('every refusal names its check and keeps the last good snapshot', () => {
  const key = testKey(3);
  const other = testKey(4);
  const engine = new Engine([key.publicHex], 'production', undefined, undefined, 64 * 1024);
  engine.loadJson(encode(signEnvelope(snapshot({ version: 10 }), [key])), NOW);
  const tampered = JSON.parse(signEnvelope(snapshot({ version: 11 }), [key]));
  tampered.payload = Buffer.from(JSON.stringify(snapshot({ version: 12 }))).toString('base64');
  const cases = [
    ['size', 'x'.repeat(64 * 1024 + 1)],
    ['envelope', '{"truncated'],
    ['envelope', 'null'],
    ['payload_type', signEnvelope(snapshot({ version: 11 }), [key], 'application/json')],
    ['signature', signEnvelope(snapshot({ version: 11 }), [other])],
    ['signature', JSON.stringify(tampered)],
    ['parse', signEnvelope('{"flags": 1}', [key])],
    ['environment', signEnvelope(snapshot({ version: 11, environment: 'staging' }), [key])],
    ['expiry', signEnvelope(snapshot({ version: 11, expiresAt: NOW - DAY }), [key])],
    ['expiry', signEnvelope(snapshot({ version: 11, issuedAt: NOW + DAY }), [key])],
    ['rollback', signEnvelope(snapshot({ version: 9 }), [key])],
    ['compile', signEnvelope(snapshot({ version: 11, edit: (p) => (p.flags.greeting.default = 'nope') }), [key])],
  ];
  for (const [check, envelope] of cases) {
    assert.throws(() => engine.loadJson(encode(envelope), NOW), (refusal) => refusal.check === check && refusal.message.startsWith(`${check} check failed`), check);
    assert.equal(JSON.parse(engine.metaJson()).version, 10, `still serving after a ${check} refusal`);
  }
});

test('a threshold needs distinct trusted signers', () => {
  const [a, b] = [testKey(5), testKey(6)];
  const engine = new Engine([a.publicHex, b.publicHex], 'production', 2);
  assert.throws(() => engine.loadJson(encode(signEnvelope(snapshot(), [a, a])), NOW), { check: 'signature' });
  engine.loadJson(encode(signEnvelope(snapshot(), [a, b])), NOW);
  assert.equal(JSON.parse(engine.metaJson()).version, 1);
});

test('variant values cross to JS as the payload wrote them: floats, -0, escapes, nesting', () => {
  const key = testKey(3);
  const numbers = { tenth: 0.1, half: -0.5, big: 1e21, max: 1.7976931348623157e308, tiny: 5e-324, zero: -0, huge: 18446744073709551615, min: -9007199254740993 };
  // JSON.stringify writes -0 as 0: the payload spells it out instead.
  const written = { ...numbers, zero: 'minus zero' };
  const text = 'quote " backslash \\ newline \n nul \u0000 bell \u0007 del \u007f é 😀 \u2028';
  const nested = { text, list: [1.5, null, true, [{ deep: -2.25e-8 }]], empty: {} };
  const engine = new Engine([key.publicHex], 'production');
  const edit = (p) => {
    p.flags.numbers = { type: 'number', variants: written, off_variant: 'zero', default: 'tenth' };
    p.flags.nested = { type: 'object', variants: { on: nested, off: {} }, off_variant: 'off', default: 'on' };
  };
  engine.loadJson(encode(signEnvelope(JSON.stringify(snapshot({ edit })).replace('"minus zero"', '-0'), [key])), NOW);
  const values = (flag) => JSON.parse(engine.flagJson(engine.flagIndex(flag))).values;
  assert.deepEqual(values('numbers'), Object.values(numbers));
  assert.ok(Object.is(values('numbers')[5], -0), '-0 keeps its sign');
  assert.deepEqual(values('nested'), [nested, {}]);
});

test('contexts are refused with INVALID_CONTEXT when hostile', () => {
  let deep = {};
  for (let i = 0; i < 40; i += 1) deep = { nested: deep };
  assert.throws(() => new EvalContext(JSON.stringify(deep)), /INVALID_CONTEXT/);
  assert.throws(() => new EvalContext('[1, 2]'), /INVALID_CONTEXT/);
  assert.throws(() => new EvalContext('{"truncated": '), /INVALID_CONTEXT/);
  assert.throws(() => new EvalContext(JSON.stringify({ list: new Array(20_000).fill(1) })), /INVALID_CONTEXT/);
  assert.throws(() => new EvalContext('{}', '[{"flag": 1}]'), /INVALID_CONTEXT: assignments/);
});

/** The golden snapshot, and every flag's detail there for a context (or the refusal's message). */
function goldenOutcomes() {
  const engine = new Engine([golden.public_key], golden.environment);
  const now = Date.UTC(2026, 10, 1);
  engine.loadJson(encode(golden.envelope), now);
  const details = readDetails(engine);
  const outcome = (attributes, assignments) => {
    let context;
    try {
      context = new EvalContext(attributes, assignments);
    } catch (error) {
      return String(error?.message ?? error);
    }
    try {
      return details.all(context.handle, now);
    } finally {
      context.free();
    }
  };
  return { outcome, free: () => engine.free() };
}

test('attributes given as objects read exactly as their JSON text, whichever way they cross', () => {
  const { outcome, free } = goldenOutcomes();
  class Visitor {
    constructor() {
      this.plan = 'premium';
    }
  }
  const deep = (levels) => (levels === 0 ? 'bottom' : { geo: deep(levels - 1) });
  const cases = {
    typical: { targetingKey: 'user-123', plan: 'premium', geo: { country: 'DE' }, app: { version: '2.4.1' }, email: 'jo@example.org' },
    numbers: { targetingKey: 42, account: { age_days: -0, orders: 1.5, verified: true }, session: { id: 2 ** 53 - 1 } },
    'numbers whose JSON rounds or drops them': { targetingKey: 2 ** 60, account: { age_days: 1e21, orders: NaN, verified: -Infinity } },
    'non-ASCII text': { targetingKey: 'Zoë 😀', email: 'ü@exämple.org', geo: { country: 'ÖS' } },
    'undefined members, holes and lists': { targetingKey: 'u', plan: undefined, device: [undefined, , 'ios', [1, null]], referrer: null },
    'a Date and a toJSON method': { targetingKey: 'u', signup_date: new Date(Date.UTC(2026, 0, 2)), account: { toJSON: () => ({ age_days: 3 }) } },
    'a class instance and a null prototype': { targetingKey: 'u', account: new Visitor(), geo: Object.assign(Object.create(null), { country: 'FR' }) },
    'a boxed string': { targetingKey: new String('boxed'), plan: 'premium' },
    'a lone surrogate': { targetingKey: 'u', email: '\ud800@example.org' },
    'nested to the limit': { targetingKey: 'u', geo: deep(15) },
    'nested beyond the limit': { targetingKey: 'u', geo: deep(16) },
    'a list, not an object': ['u'],
    'many members (the buffers grow while keys are written)': Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, i % 3 ? `v${i}` : i])),
    'more values than a context holds': { targetingKey: 'u', list: new Array(20_000).fill(1) },
  };
  for (const [name, attributes] of Object.entries(cases)) {
    const expected = outcome(JSON.stringify(attributes));
    assert.deepEqual(outcome(attributes), expected, name);
  }
  assert.equal(typeof outcome(cases.typical), 'object', 'the typical context is read');
  assert.match(outcome(cases['nested beyond the limit']), /INVALID_CONTEXT: .*deeper/);
  assert.match(outcome(cases['a lone surrogate']), /INVALID_CONTEXT/);
  assert.match(outcome(cases['more values than a context holds']), /INVALID_CONTEXT: .*more than 10000 values/);
  const cyclic = { targetingKey: 'u' };
  cyclic.self = cyclic;
  assert.throws(() => new EvalContext(cyclic), /circular/);
  // A polluted prototype: JSON.stringify leaves inherited members out, and so must the compact form.
  const withoutPlan = outcome({ targetingKey: 'user-1', geo: { country: 'DE' } });
  Object.prototype.plan = 'premium';
  try {
    assert.deepEqual(outcome({ targetingKey: 'user-1', geo: { country: 'DE' } }), withoutPlan);
  } finally {
    delete Object.prototype.plan;
  }
  free();
});

test('stored assignments given as objects read exactly as their JSON text, refused or not', () => {
  const { outcome: contextOutcome, free } = goldenOutcomes();
  // A unit whose stored assignment is served: a wrong reading of it shows.
  const stickyCase = golden.cases.find((c) => c.assignments.length && c.expected.sticky);
  const sticky = stickyCase.assignments[0];
  const outcome = (assignments) => contextOutcome(stickyCase.context, assignments);
  const cases = {
    none: [],
    'one stored': [sticky],
    'the same flag twice (the last stands)': [{ ...sticky, variant: 'nope' }, sticky],
    'a stale version': [{ ...sticky, version: sticky.version + 1 }],
    'an unknown flag': [{ flag: 'no-such-flag', variant: 'on', version: 1 }],
    'a member too many': [{ ...sticky, note: 'x' }],
    'a negative version': [{ ...sticky, version: -1 }],
    'a fractional version': [{ ...sticky, version: 1.5 }],
    'a version beyond 32 bits': [{ ...sticky, version: 2 ** 32 }],
    'a version as text': [{ ...sticky, version: '1' }],
    'not an object': ['x'],
  };
  for (const [name, assignments] of Object.entries(cases)) {
    assert.deepEqual(outcome(assignments), outcome(assignments.length ? JSON.stringify(assignments) : undefined), name);
  }
  assert.equal(outcome(cases['one stored'])[sticky.flag].sticky, true, 'the stored assignment is served');
  assert.match(outcome(cases['a member too many']), /INVALID_CONTEXT: assignments/);
  assert.deepEqual(outcome(null), outcome(undefined));
  free();
});

test('plain attributes cross without JSON.stringify; what only JSON can say falls back to it', () => {
  const stringify = JSON.stringify;
  let calls = 0;
  JSON.stringify = (...args) => {
    calls += 1;
    return stringify(...args);
  };
  const stringified = (attributes) => {
    calls = 0;
    try {
      new EvalContext(attributes).free();
    } catch {
      // refused: counted all the same
    }
    return calls;
  };
  try {
    assert.equal(stringified({ targetingKey: 'u', n: 1.5, list: [1, 'x', null, true], geo: { country: 'DE' }, name: 'Zoë 😀' }), 0);
    calls = 0;
    new EvalContext({ targetingKey: 'u' }, [{ flag: 'f', variant: 'on', version: 2 }]).free();
    assert.equal(calls, 0, 'stored assignments as objects');
    const before = wasmMemoryBytes();
    assert.equal(stringified({ targetingKey: 'u', long: 'x'.repeat(100_000), many: Array.from({ length: 5_000 }, (_, i) => i) }), 0, 'the buffers grow');
    assert.ok(wasmMemoryBytes() - before <= 2 * 1024 * 1024, 'to what the context needs (300 KB of text, 15,000 words), not beyond');
    assert.equal(stringified({ at: new Date(0) }), 1);
    assert.equal(stringified({ n: 2 ** 60 }), 1);
    const before2 = wasmMemoryBytes();
    assert.equal(stringified({ holes: new Array(1e9) }), 1, 'a billion holes are not written out');
    assert.equal(wasmMemoryBytes(), before2, 'nor do they grow the memory');
    assert.equal(stringified({ s: '\udc00' }), 1);
    Object.prototype.polluted = true;
    try {
      assert.equal(stringified({ targetingKey: 'u' }), 1, 'a polluted Object.prototype');
    } finally {
      delete Object.prototype.polluted;
    }
  } finally {
    JSON.stringify = stringify;
  }
});

test('a getter that opens a context while attributes are written leaves both right', () => {
  const { outcome, free } = goldenOutcomes();
  let inner;
  const attributes = {
    targetingKey: 'user-1',
    get plan() {
      inner = outcome({ targetingKey: 'user-2', plan: 'free', geo: { country: 'FR' } });
      return 'premium';
    },
    geo: { country: 'DE' },
  };
  assert.deepEqual(outcome(attributes), outcome({ targetingKey: 'user-1', plan: 'premium', geo: { country: 'DE' } }));
  assert.deepEqual(inner, outcome({ targetingKey: 'user-2', plan: 'free', geo: { country: 'FR' } }));
  free();
});

test('a freed context answers the default and its handle never reaches the next context in its slot', () => {
  const key = testKey(3);
  const engine = new Engine([key.publicHex], 'production');
  engine.loadJson(encode(signEnvelope(snapshot(), [key])), NOW);
  const flag = engine.flagIndex('max-cart-items');
  const premium = new EvalContext(JSON.stringify({ targetingKey: 'u-1', plan: 'premium' }));
  const served = engine.variantIndex(flag, premium.handle, NOW);
  assert.ok(served >= 0);
  const stale = premium.handle;
  premium.free();
  assert.equal(premium.handle, 0);
  premium.free(); // a second free is harmless
  const restricted = new EvalContext(JSON.stringify({ targetingKey: 'u-2', plan: 'free' }));
  assert.notEqual(restricted.handle, stale, 'the reused slot has a new generation');
  assert.equal(engine.variantIndex(flag, stale, NOW), -1);
  assert.equal(engine.variantIndex(flag, 0, NOW), -1);
  assert.equal(engine.evaluateAllRecords(stale, NOW).length, 0);
  assert.equal(readDetails(engine).detail(flag, stale, NOW).errorCode, 'INVALID_CONTEXT');
  assert.notEqual(engine.variantIndex(flag, restricted.handle, NOW), served, 'the live context is its own unit');
  restricted.free();
});

test('contexts carry non-ASCII text and survive the memory growing under them', () => {
  const key = testKey(3);
  const engine = new Engine([key.publicHex], 'production');
  const edit = (payload) => {
    payload.flags['name-match'] = {
      type: 'boolean', variants: { on: true, off: false }, off_variant: 'off', default: 'off',
      rules: [{ id: 'zoe', when: { attribute: 'name', op: 'equals', values: 'Zoë 😀 ü' }, serve: 'on' }],
    };
  };
  engine.loadJson(encode(signEnvelope(JSON.stringify(snapshot({ edit })).replace('"minus zero"', '-0'), [key])), NOW);
  const flag = engine.flagIndex('name-match');
  const on = JSON.parse(engine.flagJson(flag)).variants.indexOf('on');
  assert.ok(on >= 0);
  const served = (attributes) => {
    const context = new EvalContext(JSON.stringify(attributes));
    try {
      return engine.variantIndex(flag, context.handle, NOW);
    } finally {
      context.free();
    }
  };
  assert.equal(served({ name: 'Zoë 😀 ü' }), on);
  assert.notEqual(served({ name: 'Zoe' }), on);
  // Contexts of 800 KB, alternately objects and JSON text, kept open until
  // one grows the memory; each is read whole.
  const padding = 'é'.repeat(400_000);
  const kept = [];
  const before = wasmMemoryBytes();
  while (wasmMemoryBytes() === before && kept.length < 64) {
    const attributes = { name: 'Zoë 😀 ü', padding };
    kept.push(new EvalContext(kept.length % 2 ? JSON.stringify(attributes) : attributes));
    assert.equal(engine.variantIndex(flag, kept.at(-1).handle, NOW), on, `context ${kept.length}`);
  }
  assert.ok(wasmMemoryBytes() > before, 'the memory grew');
  assert.equal(served({ name: 'Zoë 😀 ü' }), on, 'the next context is written into the grown memory');
  for (const context of kept) context.free();
});

test('a context longer than 1 MiB is refused before it is written, however it crosses', () => {
  const MAX_BYTES = 2 ** 20;
  const tooLong = /^Error: INVALID_CONTEXT: the context's text is longer than 1048576 bytes$/;
  const refusal = (attributes) => {
    try {
      new EvalContext(attributes).free();
      return 'accepted';
    } catch (error) {
      return String(error);
    }
  };
  refusal({ warm: 'x'.repeat(MAX_BYTES / 2) });
  const before = wasmMemoryBytes();
  const huge = 'x'.repeat(50_000_000);
  assert.match(refusal({ huge }), tooLong, 'an object');
  assert.match(refusal(JSON.stringify({ huge })), tooLong, 'its JSON text');
  assert.match(refusal({ at: new Date(0), huge }), tooLong, 'an object only JSON carries');
  assert.match(refusal({ list: ['é'.repeat(MAX_BYTES / 4), 'é'.repeat(MAX_BYTES / 4), 'x'] }), tooLong, 'UTF-8 beyond the cap');
  assert.equal(wasmMemoryBytes(), before, 'nothing grew the memory');
  const stored = [{ flag: 'f', variant: huge, version: 1 }];
  for (const [attributes, assignments] of [[{}, stored], ['{}', stored], ['{}', JSON.stringify(stored)]]) {
    assert.throws(() => new EvalContext(attributes, assignments), tooLong, 'stored assignments count towards the cap');
  }
  assert.equal(wasmMemoryBytes(), before, 'nor did assignments over the cap');
  // At the cap: the compact form counts the UTF-8 of keys and strings, JSON its whole text.
  assert.equal(refusal({ ab: 'x'.repeat(MAX_BYTES - 2) }), 'accepted');
  assert.match(refusal({ ab: 'x'.repeat(MAX_BYTES - 1) }), tooLong);
  assert.equal(refusal({ ab: 'é'.repeat(MAX_BYTES / 2 - 1) }), 'accepted');
  assert.match(refusal({ ab: 'é'.repeat(MAX_BYTES / 2) }), tooLong);
  assert.equal(refusal(JSON.stringify({ a: 'é'.repeat((MAX_BYTES - 8) / 2) })), 'accepted');
  assert.match(refusal(JSON.stringify({ a: 'é'.repeat((MAX_BYTES - 8) / 2) + 'x' })), tooLong);
});

test('details read from the core stay right after its memory grows', () => {
  const key = testKey(3);
  const engine = new Engine([key.publicHex], 'production');
  engine.loadJson(encode(signEnvelope(snapshot(), [key])), NOW);
  const details = readDetails(engine);
  const flag = engine.flagIndex('new-checkout');
  const context = new EvalContext(JSON.stringify({ targetingKey: 'user-123', plan: 'pro' }));
  const before = details.detail(flag, context.handle, NOW);
  assert.equal(typeof before.reason, 'string');
  const grown = wasmMemoryBytes();
  const large = [];
  while (wasmMemoryBytes() === grown && large.length < 64) large.push(new EvalContext({ padding: 'x'.repeat(1_000_000) }));
  assert.ok(wasmMemoryBytes() > grown, 'the memory grew');
  assert.deepEqual(details.detail(flag, context.handle, NOW), before, 'read from the grown memory');
  for (const context of large) context.free();
  context.free();
  engine.free();
});
