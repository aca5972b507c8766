import { testKey, signEnvelope } from '../test/fixtures.mjs';
import { scenarioFlags, syntheticFlags, payload, fiveAttributes, syntheticPlan, renderPlan } from './scenarios.mjs';
const key = testKey(61);
const dists = process.argv.slice(2);
const envelope = signEnvelope(payload({ ...scenarioFlags, ...syntheticFlags(100) }), [key]);
const big = signEnvelope(payload(renderPlan(syntheticPlan(1000))), [key]);
const sides = [];
for (const dist of dists) {
  const m = await import(`${dist}/node.js`);
  const client = new m.EdgeFlagClient({ source: m.inlineSource(envelope), publicKeys: [key.publicHex], environment: 'bench' });
  await client.ready();
  const five = client.context(fiveAttributes);
  const units = Array.from({ length: 10000 }, (_, i) => client.context({ targetingKey: `unit-${i}` }));
  const bigBytes = new TextEncoder().encode(big);
  sides.push({ dist, cases: {
    E4: () => client.getBoolean('E4', false, five),
    E6: () => client.getString('E6', 'a', five),
    O1: (i) => client.getBoolean('O1', false, units[i % 10000]),
    O3: () => client.getBoolean('O3', false, five),
    ctx: () => client.context(fiveAttributes).free(),
    load1000: () => { const e = new m.Engine([key.publicHex], 'bench'); e.loadJson(bigBytes, Date.now()); e.free(); },
  } });
}
const per = { E4: 20000, E6: 20000, O1: 20000, O3: 20000, ctx: 5000, load1000: 3 };
const results = sides.map(() => ({}));
for (let round = 0; round < 15; round++) {
  for (const name of Object.keys(per)) {
    for (const [s, side] of sides.entries()) {
      const f = side.cases[name]; const n = per[name];
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) f(i);
      const ns = Number(process.hrtime.bigint() - t) / n;
      if (round >= 3) (results[s][name] ??= []).push(ns);
    }
  }
}
const med = (v) => { const s = [...v].sort((a, b) => a - b); return s[s.length >> 1]; };
for (const name of Object.keys(per)) console.log(name.padEnd(9), sides.map((_, s) => med(results[s][name]).toFixed(0).padStart(9)).join(' '), ' ratio', (med(results[1][name]) / med(results[0][name])).toFixed(3));
