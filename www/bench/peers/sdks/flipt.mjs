// @flipt-io/flipt-client-js: Flipt's Rust evaluation engine in wasm, fed its
// evaluation snapshot document by a custom fetcher (no network). Context
// values are strings; Flipt has no semver, regex or scheduled rollouts.
import { FliptClient } from '@flipt-io/flipt-client-js';
import { flattenToStrings } from './context.mjs';

const constraint = (property, operator, value) => ({ type: 'STRING_CONSTRAINT_COMPARISON_TYPE', property, operator, value });
const segment = (key, constraints) => ({ key, matchType: 'ALL_MATCH_TYPE', constraints });
const booleanFlag = (key, enabled, rollouts = []) => ({ key, name: key, type: 'BOOLEAN_FLAG_TYPE', enabled, rules: [], rollouts });
const onlyFor = (key, seg) => booleanFlag(key, false, [{ segment: { segmentOperator: 'OR_SEGMENT_OPERATOR', value: true, segments: [seg] } }]);
const half = (key) => booleanFlag(key, false, [{ threshold: { percentage: 50, value: true } }]);
const tierIs = (tier) => segment(`tier-${tier}`, [constraint('tier', 'eq', tier)]);
const variantFlag = (key, distributions) => ({
  key,
  name: key,
  type: 'VARIANT_FLAG_TYPE',
  enabled: true,
  rules: [{ segments: [segment('everyone', [])], segmentOperator: 'OR_SEGMENT_OPERATOR', distributions }],
  rollouts: [],
});

const scenarioFlags = [
  booleanFlag('E1', true),
  onlyFor('E4', tierIs('premium')),
  onlyFor('E9', tierIs('gold')),
  booleanFlag('E10', false),
  half('O1'),
  variantFlag('O2', 'abcdefgh'.split('').map((variantKey) => ({ variantKey, rollout: 12.5 }))),
];

function synthetic({ key, kind, on, tier }) {
  if (kind === 'static') return booleanFlag(key, on);
  if (kind === 'clause') return onlyFor(key, tierIs(tier));
  // Flipt cannot say "version ≥ 2.0.0", so the nested flags of the synthetic plan keep only their country and e-mail clauses.
  if (kind === 'nested') return onlyFor(key, segment('nested', [constraint('country', 'isoneof', '["DE","FR","NL"]'), constraint('email', 'nsuffix', '@example.com')]));
  return half(key);
}

export default {
  name: '@flipt-io/flipt-client-js',
  /** Flipt evaluates for an entity id. */
  requiresKey: true,
  scenarios: ['E1', 'E4', 'E9', 'E10', 'E11', 'O1', 'O2'],
  document: (plan, withScenarios) =>
    JSON.stringify({ namespace: { key: 'default' }, flags: [...(withScenarios ? scenarioFlags : []), ...plan.map(synthetic)] }),
  open: (text) =>
    FliptClient.init({ namespace: 'default', url: 'http://127.0.0.1:9', fetcher: async () => new Response(text, { headers: { 'content-type': 'application/json' } }) }),
  context: (_, { targetingKey, ...attributes }) => ({ entityId: targetingKey, context: flattenToStrings(attributes) }),
  boolean(client, flagKey, { entityId, context }) {
    try {
      return client.evaluateBoolean({ flagKey, entityId, context }).enabled;
    } catch {
      return false;
    }
  },
  string(client, flagKey, { entityId, context }) {
    try {
      return client.evaluateVariant({ flagKey, entityId, context }).variantKey || 'none';
    } catch {
      return 'none';
    }
  },
  close: (client) => client.close(),
};
