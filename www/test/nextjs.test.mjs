// The package in a Next.js app's Edge route, as Vercel users write one:
// Next.js 16 (a devDependency) builds the app with Turbopack — `edgeflag`
// resolved through its `edge-light` condition, the wasm imported as
// `?module` — and `next start` serves the route in Next's edge sandbox.
// The route answers the shared golden vectors and a client's answers, as in
// Node. Telemetry is off; the server listens on loopback and is stopped
// after the test.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'node:test';
import assert from 'node:assert/strict';
import { assertAgreesWithNode, freePort, golden, testKey, signEnvelope, snapshot, NOW } from './fixtures.mjs';

const www = fileURLToPath(new URL('..', import.meta.url));
const next = join(www, 'node_modules', 'next', 'dist', 'bin', 'next');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

/** The Edge route: answers a POST of `{golden, envelope, publicKey, now}` with the vectors' results and a client's answers. */
const route = `import * as edgeflag from 'edgeflag';
import { clientAnswers, runGolden } from './golden-runner.mjs';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export async function POST(request) {
  const { golden, envelope, publicKey, now } = await request.json();
  const answers = await clientAnswers(edgeflag, new TextEncoder().encode(envelope), publicKey, now);
  return Response.json({ runtime: globalThis.EdgeRuntime, golden: runGolden(edgeflag, golden), answers });
}
`;

/**
 * A Next.js app under www/build/ (inside Turbopack's root, which holds
 * www/node_modules) with the package installed as npm installs it: a copy
 * of its manifest and dist/, not a link. Removed after test `t`.
 */
function nextApp(t) {
  mkdirSync(join(www, 'build'), { recursive: true });
  const dir = mkdtempSync(join(www, 'build', 'next-app-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const installed = join(dir, 'node_modules', 'edgeflag');
  mkdirSync(installed, { recursive: true });
  cpSync(join(www, 'package.json'), join(installed, 'package.json'));
  cpSync(join(www, 'dist'), join(installed, 'dist'), { recursive: true });
  mkdirSync(join(dir, 'app', 'api', 'answers'), { recursive: true });
  cpSync(fileURLToPath(new URL('./golden-runner.mjs', import.meta.url)), join(dir, 'app', 'api', 'answers', 'golden-runner.mjs'));
  const files = {
    'package.json': JSON.stringify({ private: true, type: 'module' }),
    'next.config.mjs': `export default { turbopack: { root: ${JSON.stringify(www)} } };\n`,
    'app/layout.js': 'export default function RootLayout({ children }) { return children; }\n',
    'app/api/answers/route.js': route,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs `next start` on a free loopback port until test `t` ends; resolves with its URL once it answers. */
async function nextStart(t, dir) {
  const port = await freePort();
  const server = spawn(process.execPath, [next, 'start', '-H', '127.0.0.1', '-p', String(port)], { cwd: dir, env, stdio: 'ignore', detached: true });
  t.after(() => process.kill(-server.pid, 'SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (await fetch(url).then(() => true, () => false)) return url;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('next start did not answer');
}

test('in a Next.js Edge route the package resolves to its edge-light entry and answers the golden vectors and a client as in Node', async (t) => {
  const dir = nextApp(t);
  const built = spawnSync(process.execPath, [next, 'build'], { cwd: dir, env, encoding: 'utf8', timeout: 180_000 });
  assert.equal(built.status, 0, built.stdout + built.stderr);
  assert.match(built.stdout, /ƒ \/api\/answers/, 'the route is built as a dynamic (edge) route');

  const url = await nextStart(t, dir);
  const key = testKey(79);
  const envelope = signEnvelope(snapshot(), [key]);
  const response = await fetch(`${url}/api/answers`, { method: 'POST', body: JSON.stringify({ golden, envelope, publicKey: key.publicHex, now: NOW }) });
  assert.equal(response.status, 200);
  const { runtime, golden: results, answers } = await response.json();
  assert.equal(runtime, 'edge-runtime', 'the route ran in the edge sandbox, not in Node');
  await assertAgreesWithNode({ edge: results }, answers, envelope, key.publicHex);
});
