// The package in WebKit, Safari's engine: Debian's WebKitGTK MiniBrowser
// under WebKitWebDriver (W3C WebDriver, spoken here over fetch) on a
// virtual display (Xvfb). The golden vectors through the browser entry
// (module streamed and compiled by WebKit), and the browser storage adapters
// keeping their state across page loads — as Chromium and Firefox do.
import { spawn } from 'node:child_process';
import test from 'node:test';
import assert from 'node:assert/strict';
import { assertStorageKept, freePort, golden, servedPages } from './fixtures.mjs';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
/** How long a page may take to publish its result, and how often it is asked. */
const RESULT_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts Xvfb on the first free display; returns the process and the display's name (`:N`). */
async function virtualDisplay() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const number = await new Promise((resolve, reject) => {
    xvfb.stdio[3].once('data', (data) => resolve(String(data).trim()));
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  return { xvfb, display: `:${number}` };
}

/**
 * A WebDriver session in MiniBrowser; `call(method, path, body)` speaks to
 * it. After `t` the session ends, then the driver's process group (the
 * browser's processes with it) and the display stop, in that order.
 */
async function webkitSession(t) {
  const { xvfb, display } = await virtualDisplay();
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', detached: true, env: { ...process.env, DISPLAY: display } });
  const endpoint = `http://127.0.0.1:${port}`;
  const request = async (method, path, body) => {
    const response = await fetch(`${endpoint}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.message ?? response.status}`);
    return value;
  };
  let session;
  t.after(async () => {
    try {
      if (session) await request('DELETE', `/session/${session}`);
    } finally {
      process.kill(-driver.pid, 'SIGKILL');
      xvfb.kill();
    }
  });
  for (let waited = 0; !(await request('GET', '/status').then((status) => status.ready, () => false)); waited += POLL_MS) {
    if (waited > RESULT_TIMEOUT_MS) throw new Error('WebKitWebDriver did not start');
    await sleep(POLL_MS);
  }
  const options = { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } };
  session = (await request('POST', '/session', { capabilities: { alwaysMatch: options } })).sessionId;
  return (method, path, body) => request(method, `/session/${session}${path}`, body);
}

/** Opens `url` and waits for the page's `window[name]`, returned parsed. */
async function pageResult(call, url, name) {
  await call('POST', '/url', { url });
  for (let waited = 0; waited <= RESULT_TIMEOUT_MS; waited += POLL_MS) {
    const json = await call('POST', '/execute/sync', { script: 'return window[arguments[0]] ? JSON.stringify(window[arguments[0]]) : null', args: [name] });
    if (json) return JSON.parse(json);
    await sleep(POLL_MS);
  }
  throw new Error(`${url} published no ${name}`);
}

test('golden vectors evaluate identically in WebKit, and its storage adapters persist across reloads', async (t) => {
  const base = await servedPages(t);
  const call = await webkitSession(t);
  assert.match(await call('POST', '/execute/sync', { script: 'return navigator.userAgent', args: [] }), /AppleWebKit/);

  const { ran, failures } = await pageResult(call, `${base}test/golden.html`, 'goldenResult');
  assert.equal(ran, golden.cases.length);
  assert.deepEqual(failures, []);

  const written = await pageResult(call, `${base}test/storage.html?phase=write`, 'storageResult');
  const read = await pageResult(call, `${base}test/storage.html?phase=read`, 'storageResult');
  assertStorageKept(written, read);
});
