// Runs the shared golden vectors against a wasm core; used in Node, workerd,
// Chromium and Deno so every runtime is held to the same answers.

const sameJson = (a, b) => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => sameJson(a[k], b[k]));
};

/** Evaluates every golden case; returns the number run and the failures. */
export function runGolden({ Engine, EvalContext, readDetails }, golden) {
  const engine = new Engine([golden.public_key], golden.environment);
  engine.loadJson(new TextEncoder().encode(golden.envelope), Date.UTC(2026, 10, 1));
  const details = readDetails(engine);
  const failures = [];
  for (const c of golden.cases) {
    const assignmentsJson = c.assignments.length ? JSON.stringify(c.assignments) : undefined;
    // The context crosses as JSON text, and as objects (the compact form the client writes).
    const forms = [
      ['', JSON.stringify(c.context), assignmentsJson],
      [' (attributes and assignments as objects)', c.context, c.assignments],
    ];
    for (const [form, attributes, assignments] of forms) {
      const context = new EvalContext(attributes, assignments);
      const got = details.detail(engine.flagIndex(c.flag), context.handle, c.now);
      context.free();
      if (!sameJson(got, c.expected)) failures.push(`${c.name}${form}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`);
    }
    // Evaluate-all answers each flag as a single evaluation would (on a fresh context: it records sticky assignments).
    if (c.expected.errorCode !== 'FLAG_NOT_FOUND') {
      const fresh = new EvalContext(c.context, c.assignments);
      const all = details.all(fresh.handle, c.now)[c.flag];
      fresh.free();
      if (!sameJson(all, c.expected)) failures.push(`${c.name} (evaluate-all): expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(all)}`);
    }
  }
  engine.free();
  return { ran: golden.cases.length, failures };
}

/**
 * What a client answers from a signed snapshot (`envelope`, bytes) for a
 * sticky unit: the snapshot's version, typed values, a detail, a missing
 * flag's fallback and the sticky assignments made — for comparing runtimes.
 */
export async function clientAnswers({ EdgeFlagClient, inlineSource, memoryStore }, envelope, publicKey, now) {
  const client = new EdgeFlagClient({ source: inlineSource(envelope), publicKeys: [publicKey], environment: 'production', sticky: memoryStore(), clock: () => now });
  const meta = await client.ready();
  const context = await client.stickyContext({ targetingKey: 'user-1', plan: 'pro', email: 'a@example.com' });
  const answers = {
    version: meta?.version,
    greeting: client.getString('greeting', 'none', context),
    checkout: client.getBoolean('new-checkout', false, context),
    pricing: client.getDetails('pricing-test', 'none', context),
    missing: client.getBoolean('no-such-flag', true, context),
    all: client.evaluateAll(context),
    assignments: await client.persistAssignments(context),
  };
  context.free();
  client.free();
  return answers;
}
