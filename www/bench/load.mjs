// Load test of the example edge worker in workerd, on loopback: a fixed number
// of requests with concurrency while the snapshot in KV is replaced several
// times a second with new signed versions. Bounded in count and time; stops
// by itself. Run alone for the full figures:
//   node bench/load.mjs [REQUESTS] [CONCURRENCY]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { startWorker } from '../scripts/serve-demo.mjs';
import { testKey, signEnvelope, snapshot } from '../test/fixtures.mjs';

const key = testKey(51);
const UNITS = 40;

/** Version v's snapshot: two flags encode v's parity, and the experiment's weights flip, so torn or unsticky answers show. */
function versioned(version) {
  const odd = version % 2 === 1;
  return signEnvelope(
    snapshot({
      now: Date.now(),
      version,
      edit: (p) => {
        p.flags.greeting.default = odd ? 'moin' : 'hello';
        p.flags['max-cart-items'].default = odd ? 'premium' : 'standard';
        p.flags['pricing-test'].rules[0].serve.rollout.split = odd
          ? [{ variant: 'control', weight: 10 }, { variant: 'discount-10', weight: 10 }, { variant: 'discount-20', weight: 80 }]
          : [{ variant: 'control', weight: 80 }, { variant: 'discount-10', weight: 10 }, { variant: 'discount-20', weight: 10 }];
      },
    }),
    [key],
  );
}

/** Resident memory of the workerd processes, in bytes (0 where /proc is unavailable). */
function workerdMemory() {
  try {
    const pids = execFileSync('pgrep', ['-f', 'workerd serve'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    return pids.reduce((sum, pid) => sum + Number(/VmRSS:\s+(\d+)/.exec(execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }))?.[1] ?? 0) * 1024, 0);
  } catch {
    return 0;
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * Runs the load and returns the figures and every inconsistency found.
 * @param {{requests: number, concurrency: number, swapEveryMs: number, timeLimitMs: number}} options
 */
export async function runLoad({ requests = 2000, concurrency = 16, swapEveryMs = 200, timeLimitMs = 60_000 } = {}) {
  const refreshMs = Number(process.env.LOAD_REFRESH_MS ?? 50);
  const { mf, kv, url: base } = await startWorker({ publicKeys: [key.publicHex], environment: 'production', refreshMs });
  try {
    let version = 1;
    await kv.put('snapshot', versioned(version));
    const swapper = setInterval(() => kv.put('snapshot', versioned(++version)).catch(() => {}), swapEveryMs);

    const cookies = new Map();
    const assigned = new Map();
    const problems = [];
    const latencies = [];
    const versionsSeen = new Set();
    let failed = 0;
    let sent = 0;
    const deadline = Date.now() + timeLimitMs;

    const one = async (i) => {
      const unit = `unit-${i % UNITS}`;
      const started = performance.now();
      try {
        const response = await fetch(`${base}flags`, {
          headers: { cookie: `ef_uid=${unit}${cookies.has(unit) ? `; ${cookies.get(unit)}` : ''}`, 'cf-connecting-ip': '10.0.0.9' },
          signal: AbortSignal.timeout(10_000),
        });
        const body = await response.json();
        latencies.push(performance.now() - started);
        if (response.status !== 200) return void failed++;
        const sticky = response.headers.getSetCookie().find((c) => c.startsWith('ef_sticky='));
        if (sticky) cookies.set(unit, sticky.split(';')[0]);
        const odd = body.version % 2 === 1;
        versionsSeen.add(body.version);
        if (response.headers.get('x-edgeflag-version') !== String(body.version)) problems.push(`header/body version differ: ${unit}`);
        if (body.flags.greeting.value !== (odd ? 'Moin!' : 'Hello!') || body.flags['max-cart-items'].value !== (odd ? 100 : 20)) {
          problems.push(`torn answer at version ${body.version}: ${body.flags.greeting.value}, ${body.flags['max-cart-items'].value}`);
        }
        const variant = body.flags['pricing-test'].variant;
        if (!assigned.has(unit)) assigned.set(unit, variant);
        else if (assigned.get(unit) !== variant) problems.push(`${unit} moved from ${assigned.get(unit)} to ${variant} at version ${body.version}`);
      } catch (error) {
        failed++;
        problems.push(`request failed: ${error.message}`);
      }
    };

    // Warm up, then measure memory around the run.
    await Promise.all(Array.from({ length: concurrency }, (_, i) => one(i)));
    latencies.length = 0;
    const memoryBefore = workerdMemory();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < requests && Date.now() < deadline) await one(sent++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(swapper);
    const memoryAfter = workerdMemory();
    latencies.sort((a, b) => a - b);
    return {
      requests: sent,
      failed,
      problems,
      versions: versionsSeen.size,
      snapshotsPublished: version,
      requestsPerSecond: sent / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      memoryBefore,
      memoryAfter,
    };
  } finally {
    await mf.dispose();
  }
}

/**
 * The same request count against a trivial worker, to tell the runtime's own
 * memory growth (miniflare's workerd grows with requests) from edgeflag's.
 */
export async function baselineMemory({ requests = 2000, concurrency = 16 } = {}) {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch: (request) => Response.json({ cookie: request.headers.get("cookie") }) };',
    compatibilityDate: '2025-01-01',
    host: '127.0.0.1',
    port: 0,
  });
  try {
    const base = (await mf.ready).href;
    let sent = 0;
    const run = (count) =>
      Promise.all(Array.from({ length: concurrency }, async () => {
        while (sent < count) {
          sent += 1;
          await (await fetch(base, { headers: { cookie: 'ef_uid=unit-1' } })).json();
        }
      }));
    await run(concurrency);
    const before = workerdMemory();
    await run(requests);
    return { before, after: workerdMemory() };
  } finally {
    await mf.dispose();
  }
}

export function describe(figures) {
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return [
    `load: ${figures.requests} requests, ${figures.failed} failed, ${figures.problems.length} inconsistencies`,
    `load: ${figures.requestsPerSecond.toFixed(0)} requests/s, p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms`,
    `load: ${figures.snapshotsPublished} snapshots published, ${figures.versions} versions served; workerd memory ${mb(figures.memoryBefore)} → ${mb(figures.memoryAfter)}`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [requests = '20000', concurrency = '32'] = process.argv.slice(2);
  const figures = await runLoad({ requests: Number(requests), concurrency: Number(concurrency), timeLimitMs: 120_000 });
  console.log(describe(figures));
  const baseline = await baselineMemory({ requests: Number(requests), concurrency: Number(concurrency) });
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`load: a trivial worker under the same requests: workerd memory ${mb(baseline.before)} → ${mb(baseline.after)}`);
  for (const problem of figures.problems.slice(0, 10)) console.log(`  ${problem}`);
  process.exitCode = figures.failed || figures.problems.length ? 1 : 0;
}
