// The demo page: verifies the signed example snapshot in the browser, shows
// every flag for an editable context, simulates rollouts over time, keeps a
// sticky assignment across reloads, and shows a tampered snapshot refused.
import { EdgeFlagClient, Engine, EvalContext, readDetails, urlSource, cookieStore, anonymousId, localStoragePersistence } from '../dist/browser.js';

const $ = (id) => document.getElementById(id);
const config = await (await fetch('/demo-config.json')).json();
const snapshotUrl = new URL('/snapshot.json', location.href);

let tamper = false;
const upstream = urlSource(snapshotUrl);
const source = {
  async fetch(request) {
    if (!tamper) return upstream.fetch({});
    const envelope = JSON.parse(new TextDecoder().decode((await upstream.fetch({})).bytes));
    const payload = atob(envelope.payload);
    envelope.payload = btoa(payload.replace('"enabled":false', '"enabled":true'));
    return { bytes: new TextEncoder().encode(JSON.stringify(envelope)) };
  },
};

const client = new EdgeFlagClient({
  source,
  publicKeys: config.publicKeys,
  environment: config.environment,
  persistence: localStoragePersistence(),
  sticky: cookieStore(),
});
const meta = await client.ready();
const status = $('status');
if (meta) {
  status.textContent = `Verified snapshot v${meta.version} for “${meta.environment}”: ${meta.flagCount} flags, expires ${new Date(meta.expiresAt).toISOString()}`;
  status.className = 'ok';
} else {
  status.textContent = 'No verified snapshot could be loaded.';
  status.className = 'error';
}

const unit = anonymousId();
$('unit').textContent = unit;
$('context').value = JSON.stringify(
  { targetingKey: unit, geo: { country: 'US' }, plan: 'premium', app: { version: '2.4.0' }, user_agent: navigator.userAgent, ip: '10.1.2.3' },
  null,
  2,
);

const cell = (text) => {
  const td = document.createElement('td');
  td.innerHTML = `<code></code>`;
  td.firstChild.textContent = text ?? '–';
  return td;
};

async function renderFlags() {
  let attributes;
  try {
    attributes = JSON.parse($('context').value);
    $('context-error').hidden = true;
  } catch (error) {
    $('context-error').textContent = `Invalid JSON: ${error.message}`;
    $('context-error').hidden = false;
    return;
  }
  const context = await client.stickyContext(attributes);
  const details = client.evaluateAll(context);
  await context.persist();
  context.free();
  const rows = Object.entries(details).map(([key, d]) => {
    const tr = document.createElement('tr');
    tr.dataset.flag = key;
    [key, JSON.stringify(d.value), d.variant, d.reason + (d.sticky ? ' (sticky)' : ''), d.ruleId, d.bucket].forEach((v) => tr.append(cell(v)));
    return tr;
  });
  document.querySelector('#flags tbody').replaceChildren(...rows);
  const pricing = details['pricing-test'];
  $('sticky').textContent = pricing ? `pricing-test → ${pricing.variant} (${pricing.reason}${pricing.sticky ? ', sticky' : ''})` : '';
}

// The rollout chart evaluates with an explicit time through the low-level core.
const engine = new Engine(config.publicKeys, config.environment);
engine.loadJson(new Uint8Array(await (await fetch(snapshotUrl)).arrayBuffer()), Date.now());
const details = readDetails(engine);
const span = { from: Date.UTC(2026, 9, 25), to: Date.UTC(2027, 0, 10) };
const timeAt = () => span.from + ((span.to - span.from) * Number($('time').value)) / 1000;
// Start at today: later times past the snapshot's expiry are served as STALE.
$('time').value = String(Math.min(1000, Math.max(0, Math.round(((Date.now() - span.from) / (span.to - span.from)) * 1000))));
const units = Array.from({ length: 10_000 }, (_, i) => new EvalContext(JSON.stringify({ targetingKey: `sim-${i}`, geo: { country: 'US' }, session: { id: `sim-${i}` } })));
for (const key of engine.flagKeys()) $('rollout-flag').append(new Option(key, key));
$('rollout-flag').value = 'new-checkout';

function renderChart() {
  const now = timeAt();
  $('time-label').textContent = new Date(now).toISOString().slice(0, 10);
  const index = engine.flagIndex($('rollout-flag').value);
  const counts = new Map();
  for (const context of units) {
    const d = details.detail(index, context.handle, now);
    const label = `${d.variant} · ${d.reason}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const bars = [...counts].sort().map(([label, count]) => {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.innerHTML = '<span class="label"></span><span class="fill"></span><span class="count"></span>';
    bar.children[0].textContent = label;
    bar.children[1].style.width = `${(count / units.length) * 60}%`;
    bar.children[2].textContent = `${count} (${((count / units.length) * 100).toFixed(1)} %)`;
    return bar;
  });
  $('chart').replaceChildren(...bars);
}

$('context').addEventListener('input', renderFlags);
$('time').addEventListener('input', renderChart);
$('rollout-flag').addEventListener('change', renderChart);
$('tamper').addEventListener('click', async () => {
  tamper = true;
  const result = await client.refresh();
  tamper = false;
  $('tamper-result').textContent =
    result.status === 'rejected' ? `Rejected by the ${result.check} check — still serving v${client.meta.version}. (${result.message})` : `Unexpected: ${result.status}`;
  $('tamper-result').className = result.status === 'rejected' ? 'ok' : 'error';
  renderFlags();
});

await renderFlags();
renderChart();
document.body.dataset.ready = 'true';
