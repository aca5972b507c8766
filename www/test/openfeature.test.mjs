// The OpenFeature providers against the real SDKs in Node: the server SDK
// (a context per evaluation) and the web SDK (one static context), with
// details, errors, sticky assignments and provider events.
import test from 'node:test';
import assert from 'node:assert/strict';
import { OpenFeature as ServerFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { OpenFeature as WebFeature } from '@openfeature/web-sdk';
import { EdgeFlagClient, inlineSource, memoryStore } from '../dist/node.js';
import { serverProvider, webProvider } from '../dist/openfeature.js';
import { testKey, signEnvelope, snapshot, NOW, DAY } from './fixtures.mjs';

const key = testKey(11);
const signed = (options) => signEnvelope(snapshot(options), [key]);
const clientFor = (source, options = {}) =>
  new EdgeFlagClient({ source, publicKeys: [key.publicHex], environment: 'production', clock: () => NOW, ...options });

/** A source answering each fetch with the next envelope (the last one repeats). */
function sequenceSource(...envelopes) {
  return { async fetch() { return { bytes: new TextEncoder().encode(envelopes.length > 1 ? envelopes.shift() : envelopes[0]) }; } };
}

test('server provider: values, details with rule and bucket, and OpenFeature error codes', async () => {
  await ServerFeature.setProviderAndWait('values', serverProvider(clientFor(inlineSource(signed()))));
  const flags = ServerFeature.getClient('values');
  const user = { targetingKey: 'user-1', geo: { country: 'DE' }, plan: 'premium' };
  assert.equal(await flags.getBooleanValue('new-checkout', false, user), true);
  assert.equal(await flags.getNumberValue('max-cart-items', 0, user), 100);
  assert.equal(await flags.getStringValue('greeting', 'x', user), 'Hello!');
  assert.deepEqual(await flags.getObjectValue('homepage-layout', {}, { targetingKey: 'alice', signup_date: '2026-11-02' }), { hero: 'video', columns: 2, autoplay: false });

  const targeted = await flags.getBooleanDetails('new-checkout', false, { targetingKey: 'user-13' });
  assert.deepEqual([targeted.value, targeted.variant, targeted.reason], [false, 'off', 'TARGETING_MATCH']);
  const split = await flags.getStringDetails('pricing-test', 'none', { targetingKey: 'user-1', geo: { country: 'US' } });
  assert.equal(split.reason, 'SPLIT');
  assert.equal(split.flagMetadata.ruleId, 'not-in-eu');
  assert.equal(typeof split.flagMetadata.bucket, 'number');

  const missing = await flags.getBooleanDetails('no-such-flag', true, user);
  assert.deepEqual([missing.value, missing.reason, missing.errorCode], [true, 'ERROR', 'FLAG_NOT_FOUND']);
  const mistyped = await flags.getStringDetails('new-checkout', 'fallback', user);
  assert.deepEqual([mistyped.value, mistyped.errorCode], ['fallback', 'TYPE_MISMATCH']);
  const objectAsBoolean = await flags.getObjectDetails('new-checkout', { fallback: true }, user);
  assert.deepEqual([objectAsBoolean.value, objectAsBoolean.errorCode], [{ fallback: true }, 'TYPE_MISMATCH']);
  const cyclic = { targetingKey: 'user-1' };
  cyclic.self = cyclic;
  const unreadable = await flags.getBooleanDetails('new-checkout', false, cyclic);
  assert.deepEqual([unreadable.value, unreadable.errorCode], [false, 'INVALID_CONTEXT']);
  const tooDeep = await flags.getBooleanDetails('new-checkout', false, { targetingKey: 'user-1', a: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) });
  assert.deepEqual([tooDeep.value, tooDeep.errorCode], [false, 'INVALID_CONTEXT']);
});

test('server provider: a sticky store that fails is a general error, not a thrown one', async () => {
  const failing = { read: async () => { throw new Error('KV unavailable'); }, write: async () => {} };
  await ServerFeature.setProviderAndWait('store-down', serverProvider(clientFor(inlineSource(signed()), { sticky: failing })));
  const detail = await ServerFeature.getClient('store-down').getStringDetails('pricing-test', 'none', { targetingKey: 'emp-8' });
  assert.deepEqual([detail.value, detail.errorCode, detail.errorMessage], ['none', 'GENERAL', 'KV unavailable']);
});

test('server provider: sticky assignments are stored and served through OpenFeature', async () => {
  const sticky = memoryStore();
  await ServerFeature.setProviderAndWait('sticky', serverProvider(clientFor(inlineSource(signed()), { sticky })));
  const flags = ServerFeature.getClient('sticky');
  const user = { targetingKey: 'emp-8', ip: '2001:db8::1' };
  const first = await flags.getStringDetails('pricing-test', 'none', user);
  assert.deepEqual(await sticky.read('emp-8'), [{ flag: 'pricing-test', variant: first.variant, version: 1 }]);
  const again = await flags.getStringDetails('pricing-test', 'none', user);
  assert.deepEqual([again.variant, again.flagMetadata.sticky], [first.variant, true]);
});

test('server provider: a new snapshot is a configuration change naming the changed flags', async () => {
  const client = clientFor(sequenceSource(signed({ version: 1 }), signed({ version: 2, edit: (p) => { p.flags['canary-banner'].enabled = false; } })));
  await ServerFeature.setProviderAndWait('changes', serverProvider(client));
  const flags = ServerFeature.getClient('changes');
  const changes = [];
  flags.addHandler(ProviderEvents.ConfigurationChanged, (details) => changes.push(details.flagsChanged));
  await client.refresh();
  assert.deepEqual(changes, [['canary-banner']]);
});

test('server provider: without any good snapshot it fails to initialise and answers defaults', async () => {
  const forged = signEnvelope(snapshot(), [testKey(13)]);
  await assert.rejects(ServerFeature.setProviderAndWait('refused', serverProvider(clientFor(inlineSource(forged)))));
  const flags = ServerFeature.getClient('refused');
  assert.equal(flags.providerStatus, ProviderStatus.ERROR);
  const detail = await flags.getBooleanDetails('new-checkout', false, { targetingKey: 'user-1' });
  assert.deepEqual([detail.value, detail.reason], [false, 'ERROR']);
});

test('server provider: ready once a snapshot arrives after a failed start or while stale', async () => {
  let now = NOW;
  const later = NOW + 8 * DAY; // past the first snapshot's expiry
  const renewed = signed({ now: later, version: 2 }); // the same flags, valid again
  const client = clientFor(sequenceSource(signEnvelope(snapshot(), [testKey(13)]), signed(), renewed), { clock: () => now });
  await assert.rejects(ServerFeature.setProviderAndWait('recovers', serverProvider(client)));
  const flags = ServerFeature.getClient('recovers');
  const seen = [];
  for (const event of [ProviderEvents.Ready, ProviderEvents.Stale, ProviderEvents.ConfigurationChanged]) flags.addHandler(event, () => seen.push(event));
  await client.refresh();
  assert.equal(flags.providerStatus, ProviderStatus.READY);
  assert.equal(await flags.getBooleanValue('new-checkout', false, { targetingKey: 'user-1' }), true);
  now = later;
  await flags.getBooleanValue('new-checkout', false, { targetingKey: 'user-1' });
  assert.equal(flags.providerStatus, ProviderStatus.STALE);
  await client.refresh();
  assert.equal(flags.providerStatus, ProviderStatus.READY, 'a renewed snapshot ends the stale spell, though no flag changed');
  const { Ready, ConfigurationChanged, Stale } = ProviderEvents;
  assert.deepEqual(seen, [Ready, ConfigurationChanged, Stale, Ready]);
});

test('web provider: the static context is converted once and re-read when it changes', async () => {
  const client = clientFor(inlineSource(signed()));
  await WebFeature.setContext('web', { targetingKey: 'user-13' });
  await WebFeature.setProviderAndWait('web', webProvider(client));
  const flags = WebFeature.getClient('web');
  assert.equal(flags.getBooleanValue('new-checkout', true), false, 'user-13 is targeted off');
  assert.equal(flags.getBooleanDetails('new-checkout', true).reason, 'TARGETING_MATCH');
  await WebFeature.setContext('web', { targetingKey: 'user-1' });
  assert.equal(flags.getBooleanValue('new-checkout', false), true, 'user-1 is targeted on');
  assert.equal(flags.getNumberDetails('no-such-flag', 7).errorCode, 'FLAG_NOT_FOUND');
  const cyclic = { targetingKey: 'user-1' };
  cyclic.self = cyclic;
  await WebFeature.setContext('web', cyclic);
  assert.deepEqual([flags.getBooleanValue('new-checkout', true), flags.getBooleanDetails('new-checkout', true).errorCode], [true, 'INVALID_CONTEXT']);
  await WebFeature.setContext('web', { targetingKey: 'user-1' });
  assert.equal(flags.getBooleanValue('new-checkout', false), true, 'a readable context is evaluated again');
});
