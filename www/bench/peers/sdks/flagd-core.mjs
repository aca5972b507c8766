// @openfeature/flagd-core: flagd's JSON flag definitions with JsonLogic targeting.
import { FlagdCore } from '@openfeature/flagd-core';

const boolean = (defaultVariant, targeting) => ({ state: 'ENABLED', variants: { on: true, off: false }, defaultVariant, ...(targeting && { targeting }) });
const when = (condition, variant = 'on') => ({ if: [condition, variant, null] });
const variable = (name) => ({ var: name });
const nested = {
  and: [
    { in: [variable('country'), ['DE', 'FR', 'NL']] },
    { or: [{ sem_ver: [variable('app.version'), '>=', '2.0.0'] }, { '==': [variable('beta'), true] }] },
    { '!': { ends_with: [variable('email'), '@example.com'] } },
  ],
};
const split = (variants) => ({ fractional: variants.map((v) => [v, 1]) });

const scenarioFlags = {
  E1: boolean('on'),
  E4: boolean('off', when({ '==': [variable('tier'), 'premium'] })),
  E6: { state: 'ENABLED', variants: { a: 'A', b: 'B', c: 'C' }, defaultVariant: 'c', targeting: when(nested, 'b') },
  E9: boolean('off', when({ '==': [variable('tier'), 'gold'] })),
  E10: { ...boolean('on'), state: 'DISABLED' },
  O1: boolean('off', split(['on', 'off'])),
  O2: { state: 'ENABLED', variants: Object.fromEntries('abcdefgh'.split('').map((v) => [v, v])), defaultVariant: 'a', targeting: split('abcdefgh'.split('')) },
  O3: boolean('off', when({ sem_ver: [variable('app.version'), '>=', '2.3.0'] })),
};

function synthetic({ kind, on, tier }) {
  if (kind === 'static') return boolean(on ? 'on' : 'off');
  if (kind === 'clause') return boolean('off', when({ '==': [variable('tier'), tier] }));
  if (kind === 'nested') return boolean('off', when(nested));
  return boolean('off', split(['on', 'off']));
}

/** flagd answers a disabled or missing flag with an error the provider turns into the caller's default. */
function resolve(method, core, flag, fallback, context) {
  try {
    return core[method](flag, fallback, context).value;
  } catch {
    return fallback;
  }
}

export default {
  name: '@openfeature/flagd-core',
  scenarios: ['E1', 'E4', 'E6', 'E9', 'E10', 'E11', 'O1', 'O2', 'O3'],
  document: (plan, withScenarios) =>
    JSON.stringify({ flags: { ...(withScenarios ? scenarioFlags : {}), ...Object.fromEntries(plan.map((e) => [e.key, synthetic(e)])) } }),
  open(text) {
    const core = new FlagdCore();
    core.setConfigurations(text);
    return core;
  },
  context: (_, attributes) => attributes,
  boolean: (core, flag, context) => resolve('resolveBooleanEvaluation', core, flag, false, context),
  string: (core, flag, context) => resolve('resolveStringEvaluation', core, flag, 'none', context),
};
