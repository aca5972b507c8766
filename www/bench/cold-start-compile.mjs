// What V8 compiles in a Node cold start (import, verify and load a 200-flag
// snapshot, evaluate one flag), from `--trace-wasm-compilation-times`: the
// function bodies compiled by Liftoff on their first call, and those tiered
// up by TurboFan in the background with the CPU time it reported. Unlike
// the cold start's time, the byte counts are the same in every run of a
// build, so they show what a change does to cold-start work on this noisy
// machine. Prints figures; never fails.
//   node bench/cold-start-compile.mjs [RUNS]
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import edgeflag from './peers/sdks/edgeflag.mjs';
import { syntheticPlan } from './scenarios.mjs';
import { median } from './timing.mjs';

const runs = Number(process.argv[2] ?? 5);
const coldStart = new URL('./peers/cold-start.mjs', import.meta.url).pathname;
const LINE = /using (Liftoff|TurboFan), took (\d+) ms.* bodysize (\d+)/;

/**
 * One traced cold start: per tier, functions, body bytes and reported ms.
 * V8 prints the trace to stdout, which goes to a file: read through a pipe,
 * the child's exit cut it short at a different line each run.
 */
function tracedColdStart(document, traceFile) {
  const out = openSync(traceFile, 'w');
  execFileSync(process.execPath, ['--expose-gc', '--trace-wasm-compilation-times', coldStart, 'edgeflag', document], { stdio: ['ignore', out, 'inherit'] });
  closeSync(out);
  const output = readFileSync(traceFile, 'utf8');
  const tiers = { Liftoff: { functions: 0, bytes: 0, ms: 0 }, TurboFan: { functions: 0, bytes: 0, ms: 0 } };
  for (const [, tier, ms, bytes] of output.split('\n').map((line) => line.match(LINE)).filter(Boolean)) {
    tiers[tier].functions += 1;
    tiers[tier].bytes += Number(bytes);
    tiers[tier].ms += Number(ms);
  }
  return tiers;
}

const scratch = mkdtempSync(join(tmpdir(), 'edgeflag-compile-'));
const document = join(scratch, 'document.txt');
writeFileSync(document, edgeflag.document(syntheticPlan(200), false));
const traces = Array.from({ length: runs }, () => tracedColdStart(document, join(scratch, 'trace.txt')));
rmSync(scratch, { recursive: true });

console.log(`\nCold start in Node: what V8 compiles (${runs} fresh processes, 200 flags)`);
if (traces[0].Liftoff.functions === 0) {
  console.log('  no compilation trace (this Node prints another format): nothing to report');
} else {
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  // Each distinct outcome once: the same in every run unless V8's tiering varied.
  const figures = (tier) => [...new Set(traces.map((t) => `${t[tier].functions} functions, ${kb(t[tier].bytes)} of bodies`))].join(' or ');
  console.log(`  Liftoff, on first call (main thread)          ${figures('Liftoff')}`);
  console.log(`  TurboFan, tier-up (background)                ${figures('TurboFan')}, median ${median(traces.map((t) => t.TurboFan.ms))} ms of compile time`);
}
