// A bounded load test of the example worker in workerd while snapshots are
// replaced several times a second: no failed requests, no torn answers, no
// sticky unit moving between variants. Speed is printed, not asserted.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runLoad, describe } from '../bench/load.mjs';

test('the worker stays consistent under load while snapshots change', async () => {
  const figures = await runLoad({ requests: 2000, concurrency: 16, swapEveryMs: 150, timeLimitMs: 60_000 });
  console.log(describe(figures));
  assert.equal(figures.requests, 2000, 'all requests were sent within the time limit');
  assert.equal(figures.failed, 0);
  assert.deepEqual(figures.problems, []);
  assert.ok(figures.versions >= 3, `answers came from several snapshot versions (${figures.versions})`);
});
