// Timing helpers shared by the JS benchmarks: calibrated samples, medians of
// interleaved rounds after a warm-up, and the spread. Figures only; nothing
// here passes or fails on time.

/** Median of a list of numbers. */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** "min–max" of a list of numbers, to `digits` decimals. */
export const spread = (values, digits = 1) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

/** Nanoseconds per call of `body(i)` over `iterations` calls; awaits each call when `asynchronous`. */
export async function nsPerCall(body, iterations, asynchronous = false) {
  const start = process.hrtime.bigint();
  if (asynchronous) for (let i = 0; i < iterations; i += 1) await body(i);
  else for (let i = 0; i < iterations; i += 1) body(i);
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** How many calls of `body` take about `targetMs`, measured after a short warm-up. */
export async function calibrate(body, asynchronous = false, targetMs = 20) {
  await nsPerCall(body, 200, asynchronous);
  const ns = await nsPerCall(body, 1000, asynchronous);
  return Math.max(100, Math.round((targetMs * 1e6) / ns));
}

/**
 * Times every case `{name, body, asynchronous}` in `rounds` interleaved rounds
 * after a warm-up; returns Map name → ns per call of each round.
 */
export async function interleaved(cases, rounds = 9) {
  const iterations = new Map();
  for (const c of cases) iterations.set(c.name, await calibrate(c.body, c.asynchronous));
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const c of cases) samples.get(c.name).push(await nsPerCall(c.body, iterations.get(c.name), c.asynchronous));
  }
  return samples;
}

/** A duration in ns as a short human figure: "12 ns", "1.79 µs", "3.4 ms". */
export function formatNs(ns) {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(ns < 10_000 ? 2 : 1)} µs`;
  return `${(ns / 1_000_000).toFixed(ns < 10_000_000 ? 2 : 1)} ms`;
}
