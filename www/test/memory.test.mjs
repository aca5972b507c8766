// The core's memory stays flat: after a warm-up, hundreds of snapshot loads
// and thousands of evaluations with fresh contexts do not grow the wasm
// linear memory, nor do contexts that are never freed once they are
// garbage-collected (counts, not timings).
import test from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EdgeFlagClient, wasmMemoryBytes } from '../dist/node.js';
import { testKey, signEnvelope, snapshot } from './fixtures.mjs';

test('wasm memory does not grow across loads and evaluations', async () => {
  const key = testKey(71);
  let version = 1;
  const source = { fetch: async () => ({ bytes: new TextEncoder().encode(signEnvelope(snapshot({ now: Date.now(), version }), [key])) }) };
  const client = new EdgeFlagClient({ source, publicKeys: [key.publicHex], environment: 'production' });
  await client.ready();
  const memory = wasmMemoryBytes;
  const round = async () => {
    for (let i = 0; i < 2000; i += 1) {
      if (i % 50 === 0) {
        version += 1;
        assert.equal((await client.refresh()).status, 'loaded');
      }
      const context = client.context({ targetingKey: `unit-${i % 40}`, ip: '10.0.0.9', geo: { country: 'US' } }, [{ flag: 'pricing-test', variant: 'control', version: 1 }]);
      client.evaluateAll(context);
      client.getDetails('new-checkout', false, context);
      context.takeAssignments();
      context.free();
    }
  };
  await round();
  await round();
  const warmed = memory();
  for (let i = 0; i < 4; i += 1) await round();
  assert.equal(memory(), warmed, `wasm memory grew from ${warmed} to ${memory()} bytes`);
});

test('freed clients give their snapshots back at once', async () => {
  const key = testKey(72);
  const envelope = signEnvelope(snapshot({ now: Date.now(), edit: (p) => { for (let i = 0; i < 500; i += 1) p.flags[`bulk-${i}`] = p.flags['new-checkout']; } }), [key]);
  const shortLived = async () => {
    const client = new EdgeFlagClient({ source: { fetch: async () => ({ bytes: new TextEncoder().encode(envelope) }) }, publicKeys: [key.publicHex], environment: 'production' });
    assert.equal((await client.ready()).flagCount, 510);
    assert.equal(client.getBoolean('bulk-7', false, { targetingKey: 'user-1' }), true);
    client.free();
    assert.equal(client.getBoolean('bulk-7', false, { targetingKey: 'user-1' }), false, 'a freed client answers the fallback');
    assert.equal(client.getDetails('bulk-7', false, {}).errorCode, 'GENERAL', 'as a client that never loaded one');
    assert.deepEqual([client.meta, (await client.refresh()).status, client.meta], [null, 'failed', null], 'and loads nothing more');
  };
  for (let i = 0; i < 3; i += 1) await shortLived();
  const warmed = wasmMemoryBytes();
  for (let i = 0; i < 20; i += 1) await shortLived();
  // One snapshot of 510 flags takes about 0.5 MB; the engines' small
  // wrappers (keys, policy) still wait for garbage collection.
  const grown = wasmMemoryBytes() - warmed;
  assert.ok(grown <= 2 * 65536, `wasm memory grew by ${grown} bytes over 20 freed clients`);
});

test('contexts never freed are closed once garbage-collected', async () => {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc');
  const key = testKey(72);
  const source = { fetch: async () => ({ bytes: new TextEncoder().encode(signEnvelope(snapshot({ now: Date.now() }), [key])) }) };
  const client = new EdgeFlagClient({ source, publicKeys: [key.publicHex], environment: 'production' });
  await client.ready();
  const abandon = async () => {
    for (let i = 0; i < 5000; i += 1) client.getBoolean('new-checkout', false, client.context({ targetingKey: `abandoned-${i}`, geo: { country: 'DE' } }));
    // Contexts still pending registration are registered in a microtask, then
    // collected; finalizers run as tasks: a few rounds let all of them run.
    for (let i = 0; i < 6; i += 1) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  await abandon();
  await abandon();
  const warmed = wasmMemoryBytes();
  for (let i = 0; i < 4; i += 1) await abandon();
  // Collection order decides which slot's buffers serve which context, so a
  // page or two may come and go; leaking would take about 2.5 MB a round.
  const grown = wasmMemoryBytes() - warmed;
  assert.ok(grown <= 4 * 65536, `wasm memory grew by ${grown} bytes (from ${warmed})`);
});
