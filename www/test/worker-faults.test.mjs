// Fault injection in workerd: the snapshot source fails, hangs, answers
// 500/404, a truncated body, an older version, another environment's or a
// tampered snapshot. The client keeps serving the last good snapshot, reports
// each failure, and recovers by itself when the source heals.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { testKey, signEnvelope, snapshot } from './fixtures.mjs';
import { testWorker } from './workerd.mjs';

const key = testKey(41);
const signed = (options = {}) => signEnvelope(snapshot({ now: Date.now(), ...options }), [key]);

/** A loopback snapshot server that answers each request with the next scripted fault. */
async function faultyServer(t) {
  const script = [];
  const server = createServer((request, response) => {
    const next = script.length > 1 ? script.shift() : script[0];
    if (!next || next === 'hang') return; // never answers: the client's timeout must fire
    if (typeof next === 'number') return response.writeHead(next).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(next);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { script, url: `http://127.0.0.1:${server.address().port}/snapshot.json` };
}

async function worker(t, url, persisted) {
  const mf = testWorker(t, './fault-worker.js', { kvNamespaces: ['FLAGS'], bindings: { SNAPSHOT_URL: url, PUBLIC_KEY: key.publicHex } });
  if (persisted) await (await mf.getKVNamespace('FLAGS')).put('edgeflag:last-good', persisted);
  return async (path = '/refresh') => (await mf.dispatchFetch(`http://localhost${path}`)).json();
}

test('every source fault keeps the last good snapshot serving, and the client recovers', async (t) => {
  const { script, url } = await faultyServer(t);
  script.push(signed({ version: 5 }));
  const call = await worker(t, url);
  const first = await call('/');
  assert.equal(first.version, 5);
  assert.equal(first.detail.value, false);

  const faults = [
    [500, 'failed', 'source'],
    [404, 'failed', 'source'],
    ['hang', 'failed', 'source'],
    [signed({ version: 6 }).slice(0, 300), 'rejected', 'envelope'],
    [signed({ version: 4 }), 'rejected', 'rollback'],
    [signed({ version: 6, environment: 'staging' }), 'rejected', 'environment'],
    [signed({ version: 6 }).replace(/"payload":"./, '"payload":"A'), 'rejected', 'signature'],
  ];
  let staleSeen = false;
  for (const [fault, status, check] of faults) {
    script.length = 0;
    script.push(fault);
    const answer = await call();
    assert.deepEqual([answer.result.status, answer.result.check], [status, check], `fault ${String(fault).slice(0, 20)}`);
    assert.equal(answer.version, 5, 'the last good snapshot keeps serving');
    assert.equal(answer.detail.value, false);
    assert.ok(answer.events.some((e) => e.event === 'error' && e.check === check), 'the failure is reported as an event');
    staleSeen ||= answer.events.some((e) => e.event === 'stale' && e.reason === 'refresh-failing');
  }
  assert.ok(staleSeen, 'failing refreshes raise a stale event');

  script.length = 0;
  script.push(signed({ version: 7, edit: (p) => (p.flags['payments-v2'].enabled = true) }));
  const healed = await call();
  assert.deepEqual([healed.result.status, healed.version, healed.failures, healed.detail.value], ['loaded', 7, 0, true]);
});

test('a cold start with an unreachable source serves the persisted snapshot', async (t) => {
  const { script, url } = await faultyServer(t);
  script.push(503);
  const call = await worker(t, url, signed({ version: 3 }));
  const answer = await call('/');
  assert.equal(answer.version, 3);
  assert.equal(answer.detail.reason, 'DISABLED');
});

test('with neither a source nor a persisted snapshot, getters give the default with a reason', async (t) => {
  const { script, url } = await faultyServer(t);
  script.push(503);
  const call = await worker(t, url);
  const answer = await call('/');
  assert.equal(answer.version, null);
  assert.deepEqual([answer.detail.value, answer.detail.reason, answer.detail.errorCode], [true, 'ERROR', 'GENERAL']);
  assert.match(answer.detail.errorMessage, /no snapshot is serving/);
});
