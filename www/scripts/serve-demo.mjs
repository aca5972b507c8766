// Serves the demo page (www/) and the example edge worker (under workerd via
// miniflare) on localhost. Usage:
//   node scripts/serve-demo.mjs SNAPSHOT.json PUBLIC_KEY_HEX ENVIRONMENT [PAGE_PORT] [WORKER_PORT]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageWorker } from './workerd.mjs';

/** The example worker as `node scripts/bundle-worker.mjs` bundles it. */
const WORKER_BUNDLE = new URL('../build/example-worker/worker.js', import.meta.url);

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.ts': 'text/plain' };

/** Starts the page server: static files from www/, plus the snapshot and the demo's trust settings. */
export async function startPageServer({ snapshot, publicKeys, environment, port = 0, extraFiles = {} }) {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    if (path === '/') return response.writeHead(302, { location: '/demo/' }).end();
    if (path === '/snapshot.json') return response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(snapshot);
    if (path === '/demo-config.json') return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ publicKeys, environment }));
    const file = extraFiles[path] ?? join(root, normalize(path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root) && !extraFiles[path]) return response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/**
 * Starts the example worker (`script`: the bundle by default) under workerd
 * on loopback, with `snapshot` (when given) in its KV; it refreshes from KV
 * at most every `refreshMs`. Returns the Miniflare instance, the worker's URL
 * and its KV namespace. A worker that cannot start is disposed before the
 * error is thrown: a workerd left running would keep the caller's process
 * (a test, the demo) from ever exiting.
 */
export async function startWorker({ snapshot, publicKeys, environment, refreshMs = 5000, port = 0, script = WORKER_BUNDLE }) {
  const mf = packageWorker(script, {
    kvNamespaces: ['FLAGS'],
    bindings: { PUBLIC_KEYS: publicKeys.join(','), ENVIRONMENT: environment, REFRESH_MS: String(refreshMs) },
    host: '127.0.0.1',
    port,
  });
  try {
    const kv = await mf.getKVNamespace('FLAGS');
    if (snapshot) await kv.put('snapshot', snapshot);
    return { mf, kv, url: (await mf.ready).href };
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw error;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [snapshotPath, publicKey, environment, pagePort = '8787', workerPort = '8788'] = process.argv.slice(2);
  const snapshot = await readFile(snapshotPath, 'utf8');
  const settings = { snapshot, publicKeys: [publicKey], environment };
  const page = await startPageServer({ ...settings, port: Number(pagePort) });
  const worker = await startWorker({ ...settings, port: Number(workerPort) });
  console.log(`demo page:    ${page.url}demo/`);
  console.log(`edge worker:  ${worker.url}  (try ${worker.url}flags, ${worker.url}search?q=shoes, ${worker.url}status)`);
  console.log('Ctrl-C stops both.');
  process.on('SIGINT', async () => {
    await worker.mf.dispose();
    page.server.close();
    process.exit(0);
  });
}
