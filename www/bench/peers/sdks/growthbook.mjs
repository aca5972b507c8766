// @growthbook/growthbook: a features payload evaluated by the multi-user client.
import { GrowthBookClient } from '@growthbook/growthbook';

const forced = (condition, value = true, defaultValue = false) => ({ defaultValue, rules: [{ condition, force: value }] });
const nested = {
  $and: [{ country: { $in: ['DE', 'FR', 'NL'] } }, { $or: [{ 'app.version': { $vgte: '2.0.0' } }, { beta: true }] }, { $not: { email: { $regex: '@example\\.com$' } } }],
};
const split = (key, variations) => ({
  defaultValue: variations[variations.length - 1],
  rules: [{ key, seed: key, hashVersion: 2, hashAttribute: 'id', coverage: 1, variations, weights: variations.map(() => 1 / variations.length) }],
});

const scenarioFeatures = {
  E1: { defaultValue: true },
  E4: forced({ tier: 'premium' }),
  E6: forced(nested, 'B', 'C'),
  E9: forced({ tier: 'gold' }),
  O1: split('O1', [true, false]),
  O2: split('O2', 'abcdefgh'.split('')),
  O3: forced({ 'app.version': { $vgte: '2.3.0' } }),
  O4: forced({ email: { $regex: '^[a-z0-9.]+@example\\.(com|org)$' } }),
};

function synthetic({ key, kind, on, tier }) {
  if (kind === 'static') return { defaultValue: on };
  if (kind === 'clause') return forced({ tier });
  if (kind === 'nested') return forced(nested);
  return split(key, [true, false]);
}

export default {
  name: '@growthbook/growthbook',
  scenarios: ['E1', 'E4', 'E6', 'E9', 'E11', 'O1', 'O2', 'O3', 'O4'],
  document: (plan, withScenarios) =>
    JSON.stringify({ features: { ...(withScenarios ? scenarioFeatures : {}), ...Object.fromEntries(plan.map((e) => [e.key, synthetic(e)])) } }),
  open: (text) => new GrowthBookClient().initSync({ payload: JSON.parse(text) }),
  context: (_, { targetingKey, ...attributes }) => ({ attributes: { id: targetingKey, ...attributes } }),
  boolean: (client, flag, context) => client.getFeatureValue(flag, false, context),
  string: (client, flag, context) => client.getFeatureValue(flag, 'none', context),
  close: (client) => client.destroy?.(),
};
