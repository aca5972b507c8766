// edgeflag in the side-by-side benchmark: a signed snapshot (DSSE, Ed25519)
// verified and compiled by the wasm core, evaluated through EdgeFlagClient.
import { EdgeFlagClient, inlineSource } from '../../../dist/node.js';
import { testKey, signEnvelope } from '../../../test/fixtures.mjs';
import { scenarioFlags, renderPlan, payload } from '../../scenarios.mjs';

/**
 * The trusted public key, a constant as users configure it, so that a cold
 * start does not time the benchmark deriving it; `document` checks that it
 * is the signing key's.
 */
const PUBLIC_HEX = '70df9e2279adbec6d12bf2921184c9222eb24ed852005bf640139f52e59cd9ae';

/** The signing key (node:crypto), derived only where documents are signed. */
function signingKey() {
  const key = testKey(61);
  if (key.publicHex !== PUBLIC_HEX) throw new Error('edgeflag adapter: PUBLIC_HEX is not the signing key');
  return key;
}

export default {
  name: 'edgeflag',
  /** The trusted public key (hex), for benchmarks that check the signature themselves. */
  publicKey: PUBLIC_HEX,
  scenarios: ['E1', 'E4', 'E6', 'E9', 'E10', 'E11', 'O1', 'O2', 'O3', 'O4', 'O5'],
  /** A signed envelope holding the scenario flags and the synthetic plan. */
  document: (plan, withScenarios) => signEnvelope(payload({ ...(withScenarios ? scenarioFlags : {}), ...renderPlan(plan) }), [signingKey()]),
  async open(text) {
    const client = new EdgeFlagClient({ source: inlineSource(text), publicKeys: [PUBLIC_HEX], environment: 'bench' });
    await client.ready();
    return client;
  },
  context: (client, attributes) => client.context(attributes),
  release: (context) => context.free(),
  boolean: (client, flag, context) => client.getBoolean(flag, false, context),
  string: (client, flag, context) => client.getString(flag, 'none', context),
  close: (client) => client.free(),
};
