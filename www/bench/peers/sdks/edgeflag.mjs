// edgeflag in the side-by-side benchmark: a signed snapshot (DSSE, Ed25519)
// verified and compiled by the wasm core, evaluated through EdgeFlagClient.
import { EdgeFlagClient, inlineSource } from '../../../dist/node.js';
import { testKey, signEnvelope } from '../../../test/fixtures.mjs';
import { scenarioFlags, renderPlan, payload } from '../../scenarios.mjs';

const key = testKey(61);

export default {
  name: 'edgeflag',
  scenarios: ['E1', 'E4', 'E6', 'E9', 'E10', 'E11', 'O1', 'O2', 'O3', 'O4', 'O5'],
  /** A signed envelope holding the scenario flags and the synthetic plan. */
  document: (plan, withScenarios) => signEnvelope(payload({ ...(withScenarios ? scenarioFlags : {}), ...renderPlan(plan) }), [key]),
  async open(text) {
    const client = new EdgeFlagClient({ source: inlineSource(text), publicKeys: [key.publicHex], environment: 'bench' });
    await client.ready();
    return client;
  },
  context: (client, attributes) => client.context(attributes),
  release: (context) => context.free(),
  boolean: (client, flag, context) => client.getBoolean(flag, false, context),
  string: (client, flag, context) => client.getString(flag, 'none', context),
  close: (client) => client.free(),
};
