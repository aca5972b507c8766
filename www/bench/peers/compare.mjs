// edgeflag side by side with the peer SDKs, in one run on one machine: every
// scenario in each SDK's own flag format, each SDK's answers checked before it
// is timed (a wrong or missing answer is reported and not timed), evaluation
// with prepared contexts, per request, snapshot loads and cold starts.
// Medians of interleaved rounds after warm-up, with the spread. Prints
// markdown tables; never fails on time. With --check it only checks every
// SDK's answers, prints them and fails on a wrong one (the test command
// runs it, so no adapter silently measures nothing).
//   cd www/bench/peers && npm ci && node compare.mjs [--check] [sdk …]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { syntheticPlan, fiveAttributes } from '../scenarios.mjs';
import { interleaved, median, spread, formatNs } from '../timing.mjs';

const SDKS = ['edgeflag', 'flagd-core', 'growthbook', 'featurevisor', 'launchdarkly', 'unleash', 'flipt'];
const checkOnly = process.argv.includes('--check');
const named = process.argv.slice(2).filter((arg) => arg !== '--check');
const chosen = named.length ? named : SDKS;
const sdks = await Promise.all(chosen.map(async (id) => ({ id, ...(await import(`./sdks/${id}.mjs`)).default })));

const UNITS = 10_000;
const rampStart = Date.UTC(2026, 0, 1);
const rampEnd = Date.UTC(2027, 0, 1);
const rampExposure = Math.min(1, Math.max(0, (Date.now() - rampStart) / (rampEnd - rampStart)));
const near = (actual, expected, tolerance) => Math.abs(actual - expected) <= tolerance;
const share = (answers, value) => answers.filter((answer) => answer === value).length / answers.length;

/** A context no targeting rule of the scenarios matches, to check the other branch too. */
const otherAttributes = { targetingKey: 'user-9', tier: 'basic', country: 'US', app: { version: '1.0.0' }, email: 'x@other.net' };

/**
 * The scenarios: flag, getter, context, the check every SDK's answers must
 * pass, and for rule scenarios the answer expected for `otherAttributes`.
 */
const scenarios = [
  { id: 'E1', title: 'E1 static boolean, empty context¹', type: 'boolean', context: 'empty', check: (v) => v === true },
  { id: 'E4', title: 'E4 one clause', type: 'boolean', check: (v) => v === true, otherwise: false },
  { id: 'E6', title: 'E6 nested and/or, 3 variants', type: 'string', check: (v) => v === 'B', otherwise: 'C' },
  { id: 'E9', title: 'E9 rule does not match', type: 'boolean', check: (v) => v === false },
  { id: 'E10', title: 'E10 disabled flag', type: 'boolean', check: (v) => v === false },
  { id: 'E11', flag: 'no-such-flag', title: 'E11 missing flag', type: 'boolean', check: (v) => v === false },
  { id: 'O1', title: 'O1 50/50 split, 10,000 units', type: 'boolean', context: 'units', check: (all) => near(share(all, true), 0.5, 0.03) },
  {
    id: 'O2',
    title: 'O2 8-way split, 10,000 units',
    type: 'string',
    context: 'units',
    check: (all) => 'abcdefgh'.split('').every((v) => near(share(all, v), 0.125, 0.02)),
  },
  { id: 'O3', title: 'O3 semver comparison', type: 'boolean', check: (v) => v === true, otherwise: false },
  { id: 'O4', title: 'O4 regex match', type: 'boolean', check: (v) => v === true, otherwise: false },
  { id: 'O5', title: 'O5 time-scheduled ramp', type: 'boolean', context: 'units', check: (all) => near(share(all, true), rampExposure, 0.03) },
];

async function prepare(sdk) {
  const engine = await sdk.open(sdk.document(syntheticPlan(100), true));
  return {
    engine,
    empty: sdk.context(engine, sdk.requiresKey ? { targetingKey: 'anonymous' } : {}),
    five: sdk.context(engine, fiveAttributes),
    other: sdk.context(engine, otherAttributes),
    units: Array.from({ length: UNITS }, (_, i) => sdk.context(engine, { targetingKey: `unit-${i}` })),
  };
}

/** One evaluation of `scenario` by `sdk` for call number i. */
function evaluator(sdk, prepared, scenario) {
  const flag = scenario.flag ?? scenario.id;
  const get = sdk[scenario.type];
  const { engine } = prepared;
  if (scenario.context === 'units') return (i) => get(engine, flag, prepared.units[i % UNITS]);
  const context = scenario.context === 'empty' ? prepared.empty : prepared.five;
  return () => get(engine, flag, context);
}

/** The SDK's answers to a scenario pass its check (every unit for splits), and the other branch answers as expected. */
async function answersCorrectly(sdk, prepared, scenario) {
  const evaluate = evaluator(sdk, prepared, scenario);
  const answer = scenario.context === 'units' ? await Promise.all(Array.from({ length: UNITS }, (_, i) => evaluate(i))) : await evaluate(0);
  const otherwise = scenario.otherwise === undefined || (await sdk[scenario.type](prepared.engine, scenario.id, prepared.other)) === scenario.otherwise;
  return scenario.check(answer) && otherwise;
}

const table = (header, rows) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

console.log(`# edgeflag and its peers — Node ${process.version}, ${cpus().length} × ${cpus()[0].model}, ${new Date().toISOString()}`);

const prepared = new Map();
for (const sdk of sdks) prepared.set(sdk.id, await prepare(sdk));

console.log(checkOnly ? '\n## Answers, checked without timing\n' : '\n## Evaluation with a prepared context (median per call; spread of 9 rounds below)\n');
const cells = new Map();
const cases = [];
for (const scenario of scenarios) {
  for (const sdk of sdks) {
    const key = `${scenario.id}/${sdk.id}`;
    if (!sdk.scenarios.includes(scenario.id)) cells.set(key, 'n/a');
    else if (!(await answersCorrectly(sdk, prepared.get(sdk.id), scenario))) cells.set(key, 'WRONG ANSWER');
    else cases.push({ name: key, body: evaluator(sdk, prepared.get(sdk.id), scenario), asynchronous: sdk.asynchronous });
  }
}
if (checkOnly) {
  const verdict = (key) => cells.get(key) ?? 'ok';
  console.log(table(['scenario', ...sdks.map((s) => s.name)], scenarios.map((sc) => [sc.id, ...sdks.map((s) => verdict(`${sc.id}/${s.id}`))])));
  const wrong = [...cells.values()].filter((cell) => cell === 'WRONG ANSWER').length;
  console.log(`\nanswers: ${cases.length} right, ${wrong} wrong`);
  for (const sdk of sdks) await sdk.close?.(prepared.get(sdk.id).engine);
  process.exit(wrong ? 1 : 0);
}
const samples = await interleaved(cases);
for (const [key, values] of samples) cells.set(key, formatNs(median(values)));
console.log(table(['scenario', ...sdks.map((s) => s.name)], scenarios.map((sc) => [sc.title, ...sdks.map((s) => cells.get(`${sc.id}/${s.id}`))])));
const keyed = sdks.filter((s) => s.requiresKey).map((s) => s.name);
if (keyed.length) console.log(`\n¹ ${keyed.join(' and ')} require a key: their E1 context holds only a key.`);
console.log('\nSpread (ns, min–max of the rounds):\n');
console.log(table(['scenario', ...sdks.map((s) => s.id)], scenarios.map((sc) => [sc.id, ...sdks.map((s) => (samples.has(`${sc.id}/${s.id}`) ? spread(samples.get(`${sc.id}/${s.id}`), 0) : '—'))])));

console.log('\n## Per request: a context from a plain 5-attribute object, then the scenario flags the SDK supports (of E1 E4 E6 E9 E10 O1 O2 O3 O4 O5)\n');
const requestFlags = ['E1', 'E4', 'E6', 'E9', 'E10', 'O1', 'O2', 'O3', 'O4', 'O5'].map((id) => scenarios.find((s) => s.id === id));

/** One request for `sdk`: build a context from the plain object, evaluate `flags`. */
function request(sdk, flags) {
  const { engine } = prepared.get(sdk.id);
  const getters = flags.map((s) => [sdk[s.type], s.id]);
  if (sdk.asynchronous) {
    return async () => {
      const context = sdk.context(engine, fiveAttributes);
      for (const [get, flag] of getters) await get(engine, flag, context);
    };
  }
  return () => {
    const context = sdk.context(engine, fiveAttributes);
    for (const [get, flag] of getters) get(engine, flag, context);
    sdk.release?.(context);
  };
}

// Each SDK on the flags it supports, and edgeflag on exactly those flags, so the ratio compares the same work.
const edgeflag = sdks.find((s) => s.id === 'edgeflag');
const requestCases = sdks.flatMap((sdk) => {
  const flags = requestFlags.filter((s) => sdk.scenarios.includes(s.id));
  const own = { name: sdk.id, sdk, flags, body: request(sdk, flags), asynchronous: sdk.asynchronous };
  if (!edgeflag || sdk === edgeflag) return [own];
  return [own, { name: `edgeflag:${sdk.id}`, sdk: edgeflag, flags, body: request(edgeflag, flags) }];
});
const requestSamples = await interleaved(requestCases);
const requestMedian = (name) => median(requestSamples.get(name));
console.log(
  table(
    ['SDK', 'flags', 'median', 'spread', 'edgeflag, same flags', 'edgeflag faster by'],
    requestCases
      .filter((c) => !c.name.startsWith('edgeflag:'))
      .map(({ name, sdk, flags }) => {
        const values = requestSamples.get(name);
        const same = requestSamples.has(`edgeflag:${name}`) ? requestMedian(`edgeflag:${name}`) : undefined;
        return [
          sdk.name,
          flags.length,
          formatNs(median(values)),
          `${spread(values.map((v) => v / 1000), 2)} µs`,
          same === undefined ? '—' : formatNs(same),
          same === undefined ? '—' : `${(median(values) / same).toFixed(1)}×`,
        ];
      }),
  ),
);
for (const sdk of sdks) await sdk.close?.(prepared.get(sdk.id).engine);

console.log('\n## Load: from the document text to ready to evaluate (edgeflag: verify the signature, parse, compile)\n');
const COUNTS = [5, 200, 1_000, 10_000];
const loadRows = [];
for (const count of COUNTS) {
  const plan = syntheticPlan(count);
  const documents = new Map(sdks.map((sdk) => [sdk.id, sdk.document(plan, false)]));
  const times = new Map(sdks.map((sdk) => [sdk.id, []]));
  for (let round = 0; round < (count >= 10_000 ? 5 : 9); round += 1) {
    for (const sdk of sdks) {
      // Each load starts from a collected heap, so that no SDK pays for the garbage of the one before.
      globalThis.gc?.();
      const start = process.hrtime.bigint();
      const engine = await sdk.open(documents.get(sdk.id));
      times.get(sdk.id).push(Number(process.hrtime.bigint() - start));
      await sdk.close?.(engine);
    }
  }
  loadRows.push([`${count.toLocaleString('en')} flags`, ...sdks.map((sdk) => `${formatNs(median(times.get(sdk.id)))} (${spread(times.get(sdk.id).map((t) => t / 1e6), 1)})`)]);
}
console.log(table(['snapshot', ...sdks.map((s) => s.name)], loadRows));

console.log('\n## Cold start in Node: a fresh process, from importing the SDK to the first evaluation of a 200-flag document (median of 7 processes)\n');
const scratch = mkdtempSync(join(tmpdir(), 'edgeflag-cold-'));
const coldCells = [];
for (const sdk of sdks) {
  const file = join(scratch, `${sdk.id}.txt`);
  writeFileSync(file, sdk.document(syntheticPlan(200), false));
  const runs = Array.from({ length: 7 }, () => Number(execFileSync(process.execPath, ['--expose-gc', new URL('./cold-start.mjs', import.meta.url).pathname, sdk.id, file], { encoding: 'utf8' })));
  coldCells.push([sdk.name, `${median(runs).toFixed(1)} ms`, `${spread(runs)} ms`]);
}
rmSync(scratch, { recursive: true });
console.log(table(['SDK', 'median', 'spread'], coldCells));
