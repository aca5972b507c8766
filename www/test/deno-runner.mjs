// Run under Deno by deno.test.mjs: imports the package as Deno resolves it
// (the bare specifier `edgeflag`, re-exported by the project's `entry.mjs`)
// and the browser entry by path, runs the shared golden vectors through
// each, and has a client serve a signed snapshot. Prints one JSON line.
//   deno run --allow-read deno-runner.mjs PROJECT_ENTRY BROWSER_ENTRY GOLDEN ENVELOPE PUBLIC_KEY NOW
import { clientAnswers, runGolden } from './golden-runner.mjs';

const [projectEntry, browserEntry, goldenFile, envelopeFile, publicKey, now] = Deno.args;
const golden = JSON.parse(await Deno.readTextFile(goldenFile));
const resolved = await import(projectEntry);
const entries = { resolved, browser: await import(browserEntry) };
const goldenResults = Object.fromEntries(Object.entries(entries).map(([name, api]) => [name, runGolden(api, golden)]));
const answers = await clientAnswers(resolved, await Deno.readFile(envelopeFile), publicKey, Number(now));
console.log(JSON.stringify({ entry: resolved.entryUrl, golden: goldenResults, answers }));
