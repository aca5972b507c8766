// Test fixtures: DSSE signing in JS (node:crypto Ed25519), so the Rust core
// is checked against an independent signer, the golden vectors, projects
// that installed the package, and the pages browsers are tested on.
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startPageServer } from '../scripts/serve-demo.mjs';

export const PAYLOAD_TYPE = 'application/vnd.edgeflag.snapshot.v1+json';
export const golden = JSON.parse(readFileSync(new URL('../../tests/vectors/golden.json', import.meta.url), 'utf8'));

/** The example payload inside the golden envelope. */
export const examplePayload = () => JSON.parse(Buffer.from(JSON.parse(golden.envelope).payload, 'base64').toString('utf8'));

/** An Ed25519 key pair from a one-byte seed pattern, with its hex public key and key id. */
export function testKey(seedByte) {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, seedByte)]);
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const raw = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x, 'base64url');
  return { privateKey, publicHex: raw.toString('hex'), keyid: createHash('sha256').update(raw).digest('hex').slice(0, 32) };
}

/** DSSE's pre-authentication encoding: the bytes a signature signs. */
export const pae = (type, payload) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);

/** Signs payload bytes (or an object, serialised) with each key; returns envelope text. */
export function signEnvelope(payload, keys, payloadType = PAYLOAD_TYPE) {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const signatures = keys.map((key) => ({ keyid: key.keyid, sig: sign(null, pae(payloadType, bytes), key.privateKey).toString('base64') }));
  return JSON.stringify({ payloadType, payload: bytes.toString('base64'), signatures });
}

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 10, 26);

/** The example payload re-stamped: version, environment and validity around `now` (default NOW). */
export function snapshot({ now = NOW, version = 1, environment = 'production', issuedAt = now - DAY, expiresAt = now + 7 * DAY, edit } = {}) {
  const payload = { ...examplePayload(), version, environment, issued_at: issuedAt, expires_at: expiresAt };
  edit?.(payload);
  return payload;
}

/**
 * A temporary project with the package in its node_modules (linked, as
 * `npm install` of the built package would leave it) and `files` (name →
 * text) written into it; removed after test `t`. Returns its directory.
 */
export function installedProject(t, files) {
  const dir = mkdtempSync(join(tmpdir(), 'edgeflag-project-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(fileURLToPath(new URL('..', import.meta.url)), join(dir, 'node_modules', 'edgeflag'), 'dir');
  for (const [name, text] of Object.entries({ 'package.json': JSON.stringify({ type: 'module' }), ...files })) writeFileSync(join(dir, name), text);
  return dir;
}

/** The key the served pages' snapshot is signed with. */
const pagesKey = testKey(31);

/**
 * The demo and the test pages (golden vectors, storage adapters) served on
 * loopback with a snapshot valid for a day, as scripts/demo.sh signs it;
 * closed after test `t`. Returns their base URL.
 */
export async function servedPages(t) {
  const page = await startPageServer({
    snapshot: signEnvelope(snapshot({ now: Date.now(), expiresAt: Date.now() + DAY }), [pagesKey]),
    publicKeys: [pagesKey.publicHex],
    environment: 'production',
    extraFiles: { '/tests/vectors/golden.json': fileURLToPath(new URL('../../tests/vectors/golden.json', import.meta.url)) },
  });
  t.after(() => {
    page.server.closeAllConnections();
    page.server.close();
  });
  return page.url;
}

/** A loopback port nothing listens on now, for a server that cannot be given port 0. */
export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Checks what test/storage.html read back after a page load that wrote
 * (`written`, then `read`): every browser store kept its state, the crowded
 * cookie its newest assignments (the one assigned afresh last), and the
 * anonymous id stayed the same.
 */
export function assertStorageKept(written, read) {
  assert.deepEqual(read.sticky, [{ flag: 'a', variant: 'x', version: 1 }, { flag: 'b', variant: 'y', version: 2 }]);
  assert.deepEqual(read.cookie, [{ flag: 'c', variant: 'z', version: 3 }]);
  assert.deepEqual(read.cookieOtherUnit, []);
  assert.ok(read.crowded.length > 20 && read.crowded.length < 150, `${read.crowded.length} assignments kept in the crowded cookie`);
  assert.deepEqual(read.crowded.at(-1), { flag: 'experiment-0', variant: 'control', version: 2 });
  assert.deepEqual(read.crowded.at(-2), { flag: 'experiment-149', variant: 'treatment', version: 1 });
  assert.equal(read.persisted, '{"snapshot":3}');
  assert.match(read.unit, /^[0-9a-f]{32}$/);
  assert.equal(read.unit, written.unit, 'the anonymous id is stable across page loads');
}

/**
 * Checks what another runtime reported: every golden run in `results`
 * (name → `{ran, failures}`) answered every case, and its client's
 * `answers` for the signed `envelope` (text) equal those of a client in
 * Node. The package is imported here, not at the top: fixtures.mjs also
 * serves benchmarks that time their own import of it.
 */
export async function assertAgreesWithNode(results, answers, envelope, publicKey) {
  for (const [name, { ran, failures }] of Object.entries(results)) {
    assert.equal(ran, golden.cases.length, name);
    assert.deepEqual(failures, [], name);
  }
  const [node, { clientAnswers }] = await Promise.all([import('../dist/node.js'), import('./golden-runner.mjs')]);
  const inNode = await clientAnswers(node, new TextEncoder().encode(envelope), publicKey, NOW);
  assert.equal(inNode.version, 1);
  assert.ok(inNode.assignments.length > 0, 'the sticky experiment assigned the unit');
  assert.deepEqual(answers, JSON.parse(JSON.stringify(inNode)), 'the same answers as in Node');
}
