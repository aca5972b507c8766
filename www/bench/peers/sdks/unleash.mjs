// unleash-client offline: a bootstrapped client-features document, polling
// off, metrics off; its one URL points at a closed loopback port.
import { Unleash, InMemStorageProvider } from 'unleash-client';
import { flattenToStrings } from './context.mjs';

const constraint = (contextName, operator, values, inverted = false) => ({ contextName, operator, values, inverted, caseInsensitive: false });
const strategy = (constraints = [], variants) => ({ name: 'default', parameters: {}, constraints, ...(variants && { variants }) });
const rollout = (key, percent) => ({ name: 'flexibleRollout', parameters: { rollout: String(percent), stickiness: 'userId', groupId: key }, constraints: [] });
const feature = (name, strategies, enabled = true) => ({ name, enabled, strategies, impressionData: false });
const only = (value) => [{ name: value, weight: 1000, weightType: 'variable', stickiness: 'userId' }];
// all(country in …, any(version ≥ 2.0.0, beta), not email ends with …): one strategy per branch of the `any`.
const nested = (variants) => {
  const common = [constraint('country', 'IN', ['DE', 'FR', 'NL']), constraint('email', 'STR_ENDS_WITH', ['@example.com'], true)];
  return [
    strategy([...common, { ...constraint('app.version', 'SEMVER_LT', []), value: '2.0.0', inverted: true }], variants),
    strategy([...common, constraint('beta', 'IN', ['true'])], variants),
  ];
};
const eightWay = 'abcdefgh'.split('').map((name) => ({ name, weight: 125, weightType: 'variable', stickiness: 'userId' }));

const scenarioFeatures = [
  feature('E1', [strategy()]),
  feature('E4', [strategy([constraint('tier', 'IN', ['premium'])])]),
  feature('E6', [...nested(only('B')), strategy([], only('C'))]),
  feature('E9', [strategy([constraint('tier', 'IN', ['gold'])])]),
  feature('E10', [strategy()], false),
  feature('O1', [rollout('O1', 50)]),
  feature('O2', [strategy([], eightWay)]),
  feature('O3', [strategy([{ ...constraint('app.version', 'SEMVER_LT', []), value: '2.3.0', inverted: true }])]),
];

function synthetic({ key, kind, on, tier }) {
  if (kind === 'static') return feature(key, [strategy()], on);
  if (kind === 'clause') return feature(key, [strategy([constraint('tier', 'IN', [tier])])]);
  if (kind === 'nested') return feature(key, nested());
  return feature(key, [rollout(key, 50)]);
}

export default {
  name: 'unleash-client',
  scenarios: ['E1', 'E4', 'E6', 'E9', 'E10', 'E11', 'O1', 'O2', 'O3'],
  document: (plan, withScenarios) => JSON.stringify({ version: 2, features: [...(withScenarios ? scenarioFeatures : []), ...plan.map(synthetic)] }),
  async open(text) {
    const client = new Unleash({
      appName: 'edgeflag-bench',
      url: 'http://127.0.0.1:9/api/',
      refreshInterval: 0,
      disableMetrics: true,
      skipInstanceCountWarning: true,
      storageProvider: new InMemStorageProvider(),
      bootstrap: { data: JSON.parse(text).features },
    });
    client.on('error', () => {});
    client.on('warn', () => {});
    await new Promise((resolve) => client.once('ready', resolve));
    return client;
  },
  context: (_, { targetingKey, ...attributes }) => ({ userId: targetingKey, properties: flattenToStrings(attributes) }),
  boolean: (client, flag, context) => client.isEnabled(flag, context),
  string: (client, flag, context) => {
    const variant = client.getVariant(flag, context);
    return variant.enabled ? variant.name : 'none';
  },
  close: (client) => client.destroy(),
};
