// Benchmark scenarios shared by the JS benchmarks: flags for each evaluation
// scenario, and synthetic snapshots of N flags (60 % static, 25 % one clause,
// 15 % nested or rollout) generated from a fixed seed.

const boolean = (extra = {}) => ({ type: 'boolean', variants: { on: true, off: false }, off_variant: 'off', default: 'off', ...extra });
const rule = (when, serve = 'on') => ({ rules: [{ when, serve }] });
const nested = {
  all: [
    { attribute: 'country', op: 'in', values: ['DE', 'FR', 'NL'] },
    { any: [{ attribute: 'app.version', op: 'semver_ge', values: '2.0.0' }, { attribute: 'beta', op: 'equals', values: true }] },
    { attribute: 'email', op: 'ends_with', values: '@example.com', negate: true },
  ],
};
const split = (variants) => ({ rollout: { split: variants.map((variant) => ({ variant, weight: 100 / variants.length })) } });

/** The flags of the evaluation scenarios (E1 … O5), by scenario id. */
export const scenarioFlags = {
  E1: boolean({ default: 'on' }),
  E4: boolean(rule({ attribute: 'tier', op: 'equals', values: 'premium' })),
  E6: { type: 'string', variants: { a: 'A', b: 'B', c: 'C' }, off_variant: 'a', rules: [{ when: nested, serve: 'b' }], default: 'c' },
  E9: boolean(rule({ attribute: 'tier', op: 'equals', values: 'gold' })),
  E10: boolean({ enabled: false, default: 'on' }),
  O1: boolean({ default: split(['on', 'off']) }),
  O2: { type: 'string', variants: Object.fromEntries('abcdefgh'.split('').map((v) => [v, v])), off_variant: 'a', default: split('abcdefgh'.split('')) },
  O3: boolean(rule({ attribute: 'app.version', op: 'semver_ge', values: '2.3.0' })),
  O4: boolean(rule({ attribute: 'email', op: 'matches', values: '^[a-z0-9.]+@example\\.(com|org)$' })),
  O5: boolean({
    default: { rollout: { split: [{ variant: 'on', weight: 100 }], exposure: { linear: [{ at: '2026-01-01T00:00:00Z', percent: 0 }, { at: '2027-01-01T00:00:00Z', percent: 100 }] } } },
  }),
};

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The shape of a synthetic snapshot of N flags, from a fixed seed: 60 % static,
 * 25 % one clause (`tier == tier-k`), 7.5 % nested and/or, 7.5 % 50/50 split.
 * Each SDK's benchmark renders the same plan in its own format.
 */
export function syntheticPlan(count, seed = 42) {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const key = `flag-${String(i).padStart(5, '0')}`;
    const pick = next();
    if (pick < 0.6) return { key, kind: 'static', on: next() < 0.5 };
    if (pick < 0.85) return { key, kind: 'clause', tier: `tier-${Math.floor(next() * 5)}` };
    return { key, kind: pick < 0.925 ? 'nested' : 'split' };
  });
}

/** edgeflag's rendering of one entry of a synthetic plan. */
function syntheticFlag({ kind, on, tier }) {
  if (kind === 'static') return boolean({ default: on ? 'on' : 'off' });
  if (kind === 'clause') return boolean(rule({ attribute: 'tier', op: 'equals', values: tier }));
  if (kind === 'nested') return boolean(rule(nested));
  return boolean({ default: split(['on', 'off']) });
}

/** A synthetic plan in edgeflag's payload format. */
export const renderPlan = (plan) => Object.fromEntries(plan.map((entry) => [entry.key, syntheticFlag(entry)]));

/** N synthetic flags in edgeflag's payload format (see syntheticPlan). */
export const syntheticFlags = (count, seed = 42) => renderPlan(syntheticPlan(count, seed));

/** A payload around flags, valid around `now`. */
export function payload(flags, now = Date.now(), environment = 'bench') {
  return { schema: 1, environment, version: 1, issued_at: now - 1000, expires_at: now + 86_400_000, flags };
}

/** The 5-attribute context of the per-request scenarios. */
export const fiveAttributes = { targetingKey: 'user-123', tier: 'premium', country: 'DE', app: { version: '2.4.1' }, email: 'jo@example.org' };
