// Run under Deno or Bun by runtimes.test.mjs: imports the package as the
// runtime resolves it (the bare specifier `edgeflag`, re-exported by the
// project's `entry.mjs`) and the browser entry by path, runs the shared
// golden vectors through each, and has a client serve a signed snapshot.
// Prints one JSON line.
//   deno run --allow-read runtime-runner.mjs PROJECT_ENTRY BROWSER_ENTRY GOLDEN ENVELOPE PUBLIC_KEY NOW
//   bun runtime-runner.mjs PROJECT_ENTRY BROWSER_ENTRY GOLDEN ENVELOPE PUBLIC_KEY NOW
import { readFile } from 'node:fs/promises';
import { clientAnswers, runGolden } from './golden-runner.mjs';

const [projectEntry, browserEntry, goldenFile, envelopeFile, publicKey, now] = process.argv.slice(2);
const golden = JSON.parse(await readFile(goldenFile, 'utf8'));
const resolved = await import(projectEntry);
const entries = { resolved, browser: await import(browserEntry) };
const goldenResults = Object.fromEntries(Object.entries(entries).map(([name, api]) => [name, runGolden(api, golden)]));
const answers = await clientAnswers(resolved, new Uint8Array(await readFile(envelopeFile)), publicKey, Number(now));
console.log(JSON.stringify({ entry: resolved.entryUrl, golden: goldenResults, answers }));
