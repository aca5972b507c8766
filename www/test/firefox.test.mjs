// The package in Firefox (Debian's firefox-esr, driven over WebDriver BiDi by
// puppeteer-core): the golden vectors on SpiderMonkey's wasm engine, and
// the browser storage adapters keeping their state across page loads — as
// browser.test.mjs checks them in Chromium.
import test from 'node:test';
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { assertStorageKept, golden, servedPages } from './fixtures.mjs';

/**
 * Turns off the services of Firefox that call home and that puppeteer's
 * automation preferences leave on (those point updates, safe browsing and
 * remote settings at a dummy host): nothing reaches beyond this machine.
 */
const LOCAL_ONLY = {
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'toolkit.telemetry.enabled': false,
  'dom.push.enabled': false,
};

/** A headless Firefox and the served pages' base URL, both closed after `t`. */
async function setUp(t) {
  const base = await servedPages(t);
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, extraPrefsFirefox: LOCAL_ONLY });
  t.after(() => browser.close());
  return { browser, base };
}

/** Opens `url` in a tab and waits for the page's `window[name]`. */
async function pageResult(tab, url, name) {
  await tab.goto(url);
  return (await tab.waitForFunction((key) => window[key], { timeout: 30_000 }, name)).jsonValue();
}

test('golden vectors evaluate identically in Firefox, and its storage adapters persist across reloads', async (t) => {
  const { browser, base } = await setUp(t);
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(error.message));

  const { ran, failures } = await pageResult(tab, `${base}test/golden.html`, 'goldenResult');
  assert.equal(ran, golden.cases.length);
  assert.deepEqual(failures, []);

  const written = await pageResult(tab, `${base}test/storage.html?phase=write`, 'storageResult');
  const read = await pageResult(tab, `${base}test/storage.html?phase=read`, 'storageResult');
  assert.deepEqual(errors, []);
  assertStorageKept(written, read);
});
