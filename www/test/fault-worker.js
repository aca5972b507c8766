// A worker whose snapshot source is an HTTP URL (a loopback server the test
// controls), to inject faults into the client as it runs inside workerd.
import { EdgeFlagClient, urlSource, kvPersistence } from '../dist/workerd.js';

let client;
const events = [];

function clientFor(env) {
  if (!client) {
    client = new EdgeFlagClient({
      source: urlSource(env.SNAPSHOT_URL, { timeoutMs: 300, retries: 1, backoffMs: 10 }),
      persistence: kvPersistence(env.FLAGS),
      publicKeys: [env.PUBLIC_KEY],
      environment: 'production',
      staleAfterFailures: 3,
    });
    for (const event of ['ready', 'changed', 'stale', 'error']) client.on(event, (payload) => events.push({ event, check: payload.check, reason: payload.reason }));
  }
  return client;
}

export default {
  async fetch(request, env) {
    const flags = clientFor(env);
    await flags.ready();
    const result = new URL(request.url).pathname === '/refresh' ? await flags.refresh() : null;
    const detail = flags.getDetails('payments-v2', true, { targetingKey: 'u-1' });
    return Response.json({ result, version: flags.meta?.version ?? null, failures: flags.failures, detail, events: events.splice(0) });
  },
};
