// OpenFeature providers backed by an EdgeFlagClient: one for the server SDK
// (@openfeature/server-sdk: a context per evaluation) and one for the web SDK
// (@openfeature/web-sdk: one static context, converted once when it
// changes). Neither imports an OpenFeature package: a provider is an object
// of the shape the SDKs call, and the event emitter below is the part of
// theirs that the SDKs use.

/** OpenFeature's provider event names. */
const EVENTS = {
  ready: 'PROVIDER_READY',
  error: 'PROVIDER_ERROR',
  changed: 'PROVIDER_CONFIGURATION_CHANGED',
  stale: 'PROVIDER_STALE',
};

/** The event emitter the SDKs attach to as a provider's `events` (their ProviderEventEmitter). */
class ProviderEvents {
  #handlers = new Map();
  #logger;

  addHandler(event, handler) {
    if (!this.#handlers.has(event)) this.#handlers.set(event, new Set());
    this.#handlers.get(event).add(handler);
  }

  removeHandler(event, handler) {
    this.#handlers.get(event)?.delete(handler);
  }

  removeAllHandlers(event) {
    if (event === undefined) this.#handlers.clear();
    else this.#handlers.delete(event);
  }

  getHandlers(event) {
    return [...(this.#handlers.get(event) ?? [])];
  }

  /** The SDK's logger, told about handlers that throw. */
  setLogger(logger) {
    this.#logger = logger;
    return this;
  }

  emit(event, details = {}) {
    for (const handler of this.#handlers.get(event) ?? []) {
      try {
        handler(details);
      } catch (error) {
        // A handler's failure must not break refreshes.
        this.#logger?.error?.(`edgeflag: a ${event} handler failed`, error);
      }
    }
  }
}

const isType = (value, type) => (type === 'object' ? value !== null && typeof value === 'object' : typeof value === type);

/**
 * OpenFeature resolution details from an edgeflag detail: value, variant,
 * reason and error as they are (edgeflag uses OpenFeature's names and codes),
 * and the rule, bucket, exposure, failed prerequisite and stickiness as
 * flag metadata.
 */
function resolution(key, detail, defaultValue, type) {
  // A new sticky assignment is an object (metadata holds scalars only); the provider stores it.
  const { value, variant, reason, errorCode, errorMessage, newAssignment, ...metadata } = detail;
  if (errorCode) return { value: defaultValue, reason, errorCode, errorMessage };
  if (!isType(value, type)) return { value: defaultValue, reason: 'ERROR', errorCode: 'TYPE_MISMATCH', errorMessage: `flag ${key} is not a ${type}` };
  return { value, variant, reason, flagMetadata: metadata };
}

/**
 * The caller's default when a context could not be opened: refused as a
 * context (not JSON-compatible, or refused by the core) or, say, a sticky
 * store that failed to answer.
 */
function unopened(defaultValue, error) {
  const message = String(error?.message ?? error);
  const invalid = error instanceof TypeError || message.startsWith('INVALID_CONTEXT');
  return { value: defaultValue, reason: 'ERROR', errorCode: invalid ? 'INVALID_CONTEXT' : 'GENERAL', errorMessage: message };
}

/**
 * Forwards the client's events to OpenFeature's: a snapshot that changes
 * flags as configuration changed (with their keys), `stale` as stale; a
 * client that had no snapshot, or a stale one, is ready again once it loads
 * one. Errors are reported only while nothing is served: a failed refresh
 * leaves the last good snapshot answering.
 */
function forwardEvents(client, events) {
  let state = client.meta ? 'ready' : 'none';
  client.on('loaded', ({ changed }) => {
    if (state !== 'ready') events.emit(EVENTS.ready);
    state = 'ready';
    if (changed.length) events.emit(EVENTS.changed, { flagsChanged: changed });
  });
  client.on('stale', ({ reason }) => {
    state = 'stale';
    events.emit(EVENTS.stale, { message: `edgeflag: snapshot ${reason === 'expired' ? 'expired' : 'refreshes failing'}` });
  });
  client.on('error', ({ check, message }) => {
    if (state === 'none') events.emit(EVENTS.error, { message: `edgeflag: ${check}: ${message}` });
  });
}

/** OpenFeature's four typed resolvers, each answered by `evaluate(key, defaultValue, type, context)`. */
const resolvers = (evaluate) => ({
  resolveBooleanEvaluation: (key, defaultValue, context) => evaluate(key, defaultValue, 'boolean', context),
  resolveStringEvaluation: (key, defaultValue, context) => evaluate(key, defaultValue, 'string', context),
  resolveNumberEvaluation: (key, defaultValue, context) => evaluate(key, defaultValue, 'number', context),
  resolveObjectEvaluation: (key, defaultValue, context) => evaluate(key, defaultValue, 'object', context),
});

/** Waits for the client's first load; without a snapshot the provider fails to initialise (status ERROR). */
async function initialise(client) {
  if (!(await client.ready())) throw new Error('edgeflag: no snapshot could be loaded (see the client\'s error events)');
}

/**
 * An OpenFeature server provider: each evaluation converts its context
 * (OpenFeature's `targetingKey` is edgeflag's unit key). With a sticky store
 * on the client, stored assignments are read before and new ones written
 * after each evaluation.
 * @param {import('./index.js').EdgeFlagClient} client
 */
export function serverProvider(client) {
  const events = new ProviderEvents();
  forwardEvents(client, events);
  const evaluate = async (key, defaultValue, type, attributes) => {
    let context;
    try {
      context = await client.stickyContext(attributes ?? {});
    } catch (error) {
      return unopened(defaultValue, error);
    }
    try {
      const detail = client.getDetails(key, undefined, context);
      if (detail.newAssignment) await client.persistAssignments(context).catch(() => {});
      return resolution(key, detail, defaultValue, type);
    } finally {
      context.free();
    }
  };
  return {
    metadata: { name: 'edgeflag' },
    runsOn: 'server',
    events,
    initialize: () => initialise(client),
    onClose: async () => client.free(),
    ...resolvers(evaluate),
  };
}

/**
 * An OpenFeature web provider: the static context is converted (with its
 * stored sticky assignments) when it is set or changed, so evaluations are
 * synchronous core calls; new sticky assignments are written back in the
 * background.
 * @param {import('./index.js').EdgeFlagClient} client
 */
export function webProvider(client) {
  const events = new ProviderEvents();
  forwardEvents(client, events);
  let prepared = null;
  let refusal = null; // why the latest context could not be opened
  const release = () => {
    prepared?.free();
    prepared = null;
  };
  const prepare = async (attributes) => {
    release();
    try {
      prepared = await client.stickyContext(attributes ?? {});
      refusal = null;
    } catch (error) {
      refusal = error;
    }
  };
  // The context OpenFeature passes is the one `prepare` converted.
  const evaluate = (key, defaultValue, type) => {
    if (refusal) return unopened(defaultValue, refusal);
    if (!prepared) return { value: defaultValue, reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY', errorMessage: 'edgeflag: no context yet' };
    const detail = client.getDetails(key, undefined, prepared);
    if (detail.newAssignment) client.persistAssignments(prepared).catch(() => {});
    return resolution(key, detail, defaultValue, type);
  };
  return {
    metadata: { name: 'edgeflag' },
    runsOn: 'client',
    events,
    initialize: async (context) => {
      await prepare(context);
      await initialise(client);
    },
    onContextChange: (_previous, context) => prepare(context),
    onClose: async () => {
      release();
      client.free();
    },
    ...resolvers(evaluate),
  };
}
