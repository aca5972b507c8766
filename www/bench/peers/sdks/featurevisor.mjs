// @featurevisor/sdk: a v2 datafile of segments and features with traffic rules.
import { createInstance } from '@featurevisor/sdk';

const clause = (attribute, operator, value) => ({ attribute, operator, value });
const segments = {
  premium: { conditions: [clause('tier', 'equals', 'premium')] },
  gold: { conditions: [clause('tier', 'equals', 'gold')] },
  nested: {
    conditions: [
      clause('country', 'in', ['DE', 'FR', 'NL']),
      { or: [clause('app.version', 'semverGreaterThanOrEquals', '2.0.0'), clause('beta', 'equals', true)] },
      { not: [clause('email', 'endsWith', '@example.com')] },
    ],
  },
  v230: { conditions: [clause('app.version', 'semverGreaterThanOrEquals', '2.3.0')] },
  exampleEmail: { conditions: [clause('email', 'matches', '^[a-z0-9.]+@example\\.(com|org)$')] },
  ...Object.fromEntries([0, 1, 2, 3, 4].map((k) => [`tier-${k}`, { conditions: [clause('tier', 'equals', `tier-${k}`)] }])),
};
const feature = (key, traffic, variations) => ({ key, bucketBy: 'userId', traffic, ...(variations && { variations: variations.map((value) => ({ value })) }) });
const rule = (segment, percentage = 100_000, extra = {}) => ({ key: segment, segments: segment, percentage, ...extra });
const everyone = (percentage) => rule('*', percentage);
const onlyFor = (key, segment) => feature(key, [rule(segment), everyone(0)]);
const eightWay = 'abcdefgh'.split('');

const scenarioFeatures = {
  E1: feature('E1', [everyone(100_000)]),
  E4: onlyFor('E4', 'premium'),
  E6: feature('E6', [rule('nested', 100_000, { variation: 'B' }), { ...everyone(100_000), variation: 'C' }], ['A', 'B', 'C']),
  E9: onlyFor('E9', 'gold'),
  O1: feature('O1', [everyone(50_000)]),
  O2: feature('O2', [{ ...everyone(100_000), allocation: eightWay.map((variation, i) => ({ variation, range: [i * 12_500, (i + 1) * 12_500] })) }], eightWay),
  O3: onlyFor('O3', 'v230'),
  O4: onlyFor('O4', 'exampleEmail'),
};

function synthetic({ key, kind, on, tier }) {
  if (kind === 'static') return feature(key, [everyone(on ? 100_000 : 0)]);
  if (kind === 'clause') return onlyFor(key, tier);
  if (kind === 'nested') return onlyFor(key, 'nested');
  return feature(key, [everyone(50_000)]);
}

export default {
  name: '@featurevisor/sdk',
  scenarios: ['E1', 'E4', 'E6', 'E9', 'E11', 'O1', 'O2', 'O3', 'O4'],
  document: (plan, withScenarios) =>
    JSON.stringify({
      schemaVersion: '2',
      revision: '1',
      segments,
      features: { ...(withScenarios ? scenarioFeatures : {}), ...Object.fromEntries(plan.map((e) => [e.key, synthetic(e)])) },
    }),
  open: (text) => createInstance({ datafile: JSON.parse(text), logLevel: 'fatal' }),
  context: (instance, { targetingKey, ...attributes }) => instance.spawn({ userId: targetingKey, ...attributes }),
  boolean: (_, flag, child) => child.isEnabled(flag),
  string: (_, flag, child) => child.getVariation(flag) ?? 'none',
  close: (instance) => instance.close(),
};
