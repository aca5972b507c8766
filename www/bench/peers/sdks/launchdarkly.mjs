// @launchdarkly/node-server-sdk offline: flags in LaunchDarkly's own flag
// format fed through the TestData source; no events, no network.
import { init } from '@launchdarkly/node-server-sdk';
import { TestData } from '@launchdarkly/node-server-sdk/integrations';

const clause = (attribute, op, values, negate = false) => ({ contextKind: 'user', attribute, op, values, negate });
const flag = (key, { variations = [true, false], on = true, fallthrough = { variation: 1 }, rules = [] } = {}) => ({
  key,
  version: 1,
  on,
  variations,
  offVariation: variations.length - 1,
  fallthrough,
  rules: rules.map((rule, i) => ({ id: `${key}-${i}`, ...rule })),
  targets: [],
  prerequisites: [],
  salt: key,
});
const when = (clauses, variation = 0) => ({ clauses, variation });
const split = (count) => ({ rollout: { variations: Array.from({ length: count }, (_, variation) => ({ variation, weight: 100_000 / count })) } });
// all(country in …, any(version ≥ 2.0.0, beta), not email ends with …): one rule per branch of the `any`.
const nestedRules = (variation = 0) => {
  const common = [clause('country', 'in', ['DE', 'FR', 'NL']), clause('email', 'endsWith', ['@example.com'], true)];
  return [when([...common, clause('/app/version', 'semVerLessThan', ['2.0.0'], true)], variation), when([...common, clause('beta', 'in', [true])], variation)];
};

const scenarioFlags = [
  flag('E1', { fallthrough: { variation: 0 } }),
  flag('E4', { rules: [when([clause('tier', 'in', ['premium'])])] }),
  flag('E6', { variations: ['A', 'B', 'C'], fallthrough: { variation: 2 }, rules: nestedRules(1) }),
  flag('E9', { rules: [when([clause('tier', 'in', ['gold'])])] }),
  flag('E10', { on: false, fallthrough: { variation: 0 } }),
  flag('O1', { fallthrough: split(2) }),
  flag('O2', { variations: 'abcdefgh'.split(''), fallthrough: split(8) }),
  flag('O3', { rules: [when([clause('/app/version', 'semVerLessThan', ['2.3.0'], true)])] }),
  flag('O4', { rules: [when([clause('email', 'matches', ['^[a-z0-9.]+@example\\.(com|org)$'])])] }),
];

function synthetic({ key, kind, on, tier }) {
  if (kind === 'static') return flag(key, { fallthrough: { variation: on ? 0 : 1 } });
  if (kind === 'clause') return flag(key, { rules: [when([clause('tier', 'in', [tier])])] });
  if (kind === 'nested') return flag(key, { rules: nestedRules() });
  return flag(key, { fallthrough: split(2) });
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export default {
  name: '@launchdarkly/node-server-sdk',
  asynchronous: true,
  /** A LaunchDarkly context must have a key. */
  requiresKey: true,
  scenarios: ['E1', 'E4', 'E6', 'E9', 'E10', 'E11', 'O1', 'O2', 'O3', 'O4'],
  document: (plan, withScenarios) => JSON.stringify([...(withScenarios ? scenarioFlags : []), ...plan.map(synthetic)]),
  async open(text) {
    const data = new TestData();
    await Promise.all(JSON.parse(text).map((f) => data.usePreconfiguredFlag(f)));
    const client = init('sdk-key-offline', { updateProcessor: data.getFactory(), sendEvents: false, diagnosticOptOut: true, logger: silent });
    await client.waitForInitialization({ timeout: 5 });
    return client;
  },
  context: (_, { targetingKey, ...attributes }) => ({ kind: 'user', key: targetingKey, ...attributes }),
  boolean: (client, flag, context) => client.variation(flag, context, false),
  string: (client, flag, context) => client.variation(flag, context, 'none'),
  close: (client) => client.close(),
};
