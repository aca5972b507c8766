// The edgeflag client: loads signed snapshots from a source, keeps the last
// good one serving, and evaluates flags synchronously through the wasm core.
import { detailReader } from './details.js';

const NO_CONTEXT = {};
/** The core's MAX_KEY_BYTES: no flag key is longer (a UTF-16 unit is at least a byte of UTF-8). */
const MAX_KEY_LENGTH = 256;
/** Keys that name no flag, remembered per snapshot at most: keys taken from requests must not grow the cache without end. */
const MISSING_KEYS_KEPT = 1024;
/** What a key that names no flag resolves to. */
const MISSING_FLAG = Object.freeze({ index: -1, values: [], constant: undefined, timed: false });

const errorDetail = (fallback, errorCode, errorMessage) => ({ value: fallback, reason: 'ERROR', errorCode, errorMessage });

/**
 * Creates the client and context classes bound to one instantiated wasm module.
 * @param {{Engine: any, EvalContext: any, openHandle: Function, closeContext: Function, codes: object}} wasm wasm-bindgen's exports, the context class, a way to open a bare handle, and the detail codes
 */
export function bindClient(wasm) {
  /** A client's context: an `EvalContext` that knows its unit and its client's sticky store. */
  class FlagContext extends wasm.EvalContext {
    #client;
    constructor(client, attributes, assignments) {
      // A string is not attributes (EvalContext would read it as JSON text): the core refuses its JSON.
      // Kept when refused, like evaluation never throwing: every flag then answers its fallback.
      super(typeof attributes === 'string' ? JSON.stringify(attributes) : (attributes ?? NO_CONTEXT), assignments, true);
      this.#client = client;
      /** The unit the sticky store keys this context's assignments by. */
      this.unitKey = unitOf(attributes);
    }
    /** Assignments made by sticky flags since the last call: `[{flag, variant, version}]`. */
    takeAssignments() {
      return JSON.parse(this.takeAssignmentsJson());
    }
    /** Writes new sticky assignments to the client's sticky store. */
    async persist() {
      await this.#client.persistAssignments(this);
    }
  }

  class EdgeFlagClient {
    #options;
    #engine;
    #listeners = new Map();
    #flags = new Map();
    #missingKept = 0;
    #details;
    #etag;
    #timer;
    #failures = 0;
    #failingSince = 0;
    #staleNotified = false;
    #freed = false;
    #ready;
    #meta = null;
    #closed = false;
    /** The latest refresh: the next one starts after it ends. */
    #refreshing = Promise.resolve();

    /**
     * @param {import('./index').ClientOptions} options
     */
    constructor(options) {
      const { source, publicKeys, environment } = options ?? {};
      if (!source || typeof source.fetch !== 'function') throw new TypeError('edgeflag: options.source must have a fetch() method');
      if (!Array.isArray(publicKeys) || publicKeys.length === 0) throw new TypeError('edgeflag: options.publicKeys must list at least one key');
      if (typeof environment !== 'string' || !environment) throw new TypeError('edgeflag: options.environment is required');
      this.#options = { clock: Date.now, staleAfterFailures: 3, ...options };
      const { threshold, skewMs, maxBytes, versionFloor, maxStaleMs } = this.#options;
      this.#engine = new wasm.Engine(publicKeys, environment, threshold, skewMs, maxBytes, versionFloor, maxStaleMs);
      this.#details = detailReader(wasm.codes, this.#engine, wasm.memory);
      this.#ready = this.#start();
    }

    /** Resolves once the first load attempt finished, with the serving snapshot's meta or null. */
    ready() {
      return this.#ready;
    }

    /** The serving snapshot's `{environment, version, issuedAt, expiresAt, flagCount}`, or null. */
    get meta() {
      return this.#meta;
    }

    /** Subscribes to `ready`, `loaded`, `changed`, `stale` or `error`; returns the unsubscribe function. */
    on(event, listener) {
      if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
      this.#listeners.get(event).add(listener);
      return () => this.#listeners.get(event)?.delete(listener);
    }

    #emit(event, payload) {
      for (const listener of this.#listeners.get(event) ?? []) {
        try {
          listener(payload);
        } catch {
          // A listener's failure must not break evaluation or refresh.
        }
      }
    }

    async #start() {
      const { persistence, refreshIntervalMs } = this.#options;
      if (persistence) {
        const saved = await persistence.load().catch(() => null);
        if (saved) this.#apply(saved, 'persisted');
      }
      await this.refresh();
      if (refreshIntervalMs > 0) this.#schedule();
      const meta = this.meta;
      if (meta) this.#emit('ready', meta);
      return meta;
    }

    /** Refreshes every `refreshIntervalMs`, backing off exponentially (to 32×) while refreshes fail. */
    #schedule() {
      if (this.#closed) return;
      const { refreshIntervalMs } = this.#options;
      const backoff = 2 ** Math.min(this.#failures, 5);
      const delay = this.#failures ? refreshIntervalMs * backoff * (0.5 + Math.random() / 2) : refreshIntervalMs;
      this.#timer = setTimeout(() => this.refresh().finally(() => this.#schedule()), delay);
      this.#timer.unref?.();
    }

    /**
     * Fetches the source once and loads what it returns. Never throws.
     * Refreshes run one at a time, each fetching after the one before has
     * loaded: an older answer arriving late is never taken for a rollback.
     * @returns {Promise<{status: 'loaded' | 'not-modified' | 'rejected' | 'failed', changed?: string[], check?: string, message?: string}>}
     */
    refresh() {
      return (this.#refreshing = this.#refreshing.then(() => this.#fetchAndLoad()));
    }

    async #fetchAndLoad() {
      this.#now(); // reports a serving snapshot that expired, even when no evaluation asks
      let response;
      try {
        response = await this.#options.source.fetch({ etag: this.#etag, maxBytes: this.#engine.maxBytes });
      } catch (error) {
        return this.#failed('source', String(error?.message ?? error));
      }
      if (response?.notModified) {
        this.#succeeded();
        return { status: 'not-modified' };
      }
      if (!(response?.bytes instanceof Uint8Array) && typeof response?.bytes !== 'string') {
        return this.#failed('source', 'the source answered neither bytes nor notModified');
      }
      const outcome = this.#apply(response.bytes, 'source');
      if (outcome.status === 'loaded') {
        this.#etag = response.etag;
        this.#options.persistence?.save(response.bytes).catch(() => {});
      }
      return outcome;
    }

    #apply(bytes, origin) {
      if (this.#freed) return { status: 'failed', check: 'source', message: 'the client was freed' };
      const envelope = bytes instanceof Uint8Array ? bytes : new TextEncoder().encode(bytes);
      let changedJson;
      try {
        // The size check first: an oversized envelope is refused before it is copied into wasm memory.
        this.#engine.checkSize(envelope.length);
        changedJson = this.#engine.loadJson(envelope, this.#options.clock());
      } catch (refusal) {
        const check = refusal?.check ?? 'general';
        const message = refusal?.message ?? String(refusal);
        return origin === 'source' ? this.#failed(check, message) : { status: 'rejected', check, message };
      }
      this.#serving(JSON.parse(this.#engine.metaJson()));
      this.#succeeded();
      this.#staleNotified = false;
      // The changed keys are parsed when first read: most loads (a cold start's, a worker's) have no one asking.
      const changed = parsedOnce(changedJson);
      this.#emit('loaded', { get changed() { return changed(); }, meta: this.meta, origin });
      if (changedJson !== '[]') this.#emit('changed', { get keys() { return changed(); }, meta: this.meta, origin });
      return { status: 'loaded', get changed() { return changed(); } };
    }

    #succeeded() {
      this.#failures = 0;
      this.#failingSince = 0;
    }

    #failed(check, message) {
      this.#failures += 1;
      this.#failingSince ||= this.#options.clock();
      this.#emit('error', { check, message, failures: this.#failures });
      if (this.#failures === this.#options.staleAfterFailures) {
        this.#emit('stale', { reason: 'refresh-failing', failures: this.#failures, since: this.#failingSince, meta: this.meta });
      }
      return { status: check === 'source' ? 'failed' : 'rejected', check, message };
    }

    /** Consecutive failed or rejected refreshes. */
    get failures() {
      return this.#failures;
    }

    /**
     * Converts attributes once for many evaluations.
     * @param {Record<string, unknown>} attributes
     * @param {Array<{flag: string, variant: string, version: number}>} [assignments] stored sticky assignments
     */
    context(attributes, assignments) {
      return new FlagContext(this, attributes, assignments);
    }

    /** Like `context()`, with the unit's stored assignments read from the sticky store. */
    async stickyContext(attributes) {
      const unit = unitOf(attributes);
      const stored = unit != null && this.#options.sticky ? await this.#options.sticky.read(unit) : undefined;
      return this.context(attributes, stored);
    }

    /** Writes a context's new sticky assignments to the sticky store. */
    async persistAssignments(context) {
      const fresh = context.takeAssignments();
      if (fresh.length && context.unitKey != null && this.#options.sticky) await this.#options.sticky.write(context.unitKey, fresh);
      return fresh;
    }

    /**
     * A flag's index in the serving snapshot, its variant values (frozen:
     * typed getters hand out these very values), the value it serves to
     * everyone if it has one, and whether its value can change with time.
     */
    #flag(key) {
      let flag = this.#flags.get(key);
      if (flag === undefined) {
        // Only a string of at most MAX_KEY_LENGTH units can name a flag: anything else is missing without crossing into the core.
        const index = typeof key === 'string' && key.length <= MAX_KEY_LENGTH ? this.#engine.flagIndex(key) : -1;
        if (index < 0) {
          if (this.#missingKept < MISSING_KEYS_KEPT) {
            this.#missingKept += 1;
            this.#flags.set(key, MISSING_FLAG);
          }
          return MISSING_FLAG;
        }
        const { values, constant, timed } = this.#details.flag(index);
        flag = { index, values, constant: constant === null ? undefined : values[constant], timed };
        this.#flags.set(key, flag);
      }
      return flag;
    }

    /** The evaluation time; reports a snapshot that expired while serving, once. */
    #now() {
      const now = this.#options.clock();
      const meta = this.#meta;
      if (!this.#staleNotified && meta && now > meta.expiresAt) {
        this.#staleNotified = true;
        this.#emit('stale', { reason: 'expired', since: meta.expiresAt, meta });
      }
      return now;
    }

    /**
     * Runs `evaluate(handle, now)` against a context's core handle: a
     * FlagContext's, or one opened (and closed) for this call from a plain
     * object. Never throws: `fallback(code, message)` answers instead.
     */
    #with(context, evaluate, fallback) {
      const now = this.#now();
      if (context instanceof FlagContext) {
        return context.refusal ? fallback('INVALID_CONTEXT', context.refusal) : this.#guard(evaluate, context.handle, now, fallback);
      }
      let handle;
      try {
        handle = wasm.openHandle(context ?? NO_CONTEXT);
      } catch (error) {
        return fallback('INVALID_CONTEXT', String(error?.message ?? error));
      }
      try {
        return this.#guard(evaluate, handle, now, fallback);
      } finally {
        wasm.closeContext(handle);
      }
    }

    #guard(evaluate, handle, now, fallback) {
      try {
        return evaluate(handle, now);
      } catch (error) {
        return fallback('GENERAL', String(error?.message ?? error));
      }
    }

    /**
     * A typed getter. A flag that serves one value to everyone, or that does
     * not exist, is answered without the clock or the core; anything else is
     * one core call that returns the served variant's index, never a string.
     */
    #typed(type, key, fallback, context) {
      const { index, values, constant, timed } = this.#flag(key);
      if (constant !== undefined) return ofType(constant, type) ? constant : fallback;
      if (index < 0) return fallback;
      let variant = -1;
      if (context instanceof FlagContext) {
        // The hot path: no closures, and the clock (as costly as evaluating) only for scheduled rollouts.
        try {
          variant = this.#engine.variantIndex(index, context.handle, timed ? this.#now() : 0);
        } catch {
          // A core failure: the caller's fallback (a freed context answers -1).
        }
      } else {
        variant = this.#with(context, (handle, now) => this.#engine.variantIndex(index, handle, now), () => -1);
      }
      const value = values[variant];
      return ofType(value, type) ? value : fallback;
    }

    /** A boolean flag, or `fallback` on any error. */
    getBoolean(key, fallback, context) {
      return this.#typed('boolean', key, fallback, context);
    }

    /** A string flag, or `fallback` on any error. */
    getString(key, fallback, context) {
      return this.#typed('string', key, fallback, context);
    }

    /** A number flag, or `fallback` on any error. */
    getNumber(key, fallback, context) {
      return this.#typed('number', key, fallback, context);
    }

    /** An object flag (frozen, shared by every caller), or `fallback` on any error. */
    getObject(key, fallback, context) {
      return this.#typed('object', key, fallback, context);
    }

    /**
     * The value with its reason, variant, rule, bucket and error, OpenFeature style.
     * The caller's `fallback` stands in when the flag cannot be served or has another type.
     */
    getDetails(key, fallback, context) {
      return this.#with(
        context,
        (handle, now) => {
          const detail = this.#details.detail(this.#flag(key).index, handle, now);
          if (detail.errorCode) return { ...detail, value: fallback };
          if (fallback !== undefined && fallback !== null && !sameType(detail.value, fallback)) {
            return errorDetail(fallback, 'TYPE_MISMATCH', `flag ${key} is not a ${typeName(fallback)}`);
          }
          return detail;
        },
        (code, message) => errorDetail(fallback, code, message),
      );
    }

    /** Every flag's detail for one context, keyed by flag. */
    evaluateAll(context) {
      return this.#with(context, (handle, now) => this.#details.all(handle, now), () => ({}));
    }

    /** Stops refreshing; the serving snapshot keeps answering. */
    close() {
      this.#closed = true;
      clearTimeout(this.#timer);
    }

    /**
     * Stops refreshing and drops the serving snapshot in the core now, where
     * it would otherwise stay until this client is garbage-collected (wasm
     * memory grows but never shrinks): for clients that live shorter than
     * their process. The client then answers every caller's default.
     */
    free() {
      this.#freed = true;
      this.close();
      this.#engine.unload();
      this.#serving(null);
    }

    /** Records what the core now serves (its meta, or null) and forgets what was cached per flag of the snapshot before. */
    #serving(meta) {
      this.#meta = meta;
      this.#flags.clear();
      this.#missingKept = 0;
      this.#details.reset();
    }
  }

  return { EdgeFlagClient, FlagContext };
}

/** A function returning `json` parsed, parsing it on the first call only. */
const parsedOnce = (json) => {
  let value;
  return () => (value ??= JSON.parse(json));
};

const unitOf = (attributes) => {
  const key = attributes?.targetingKey;
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
};

const typeName = (value) => (Array.isArray(value) ? 'array' : typeof value);
const sameType = (a, b) => typeName(a) === typeName(b);
const ofType = (value, type) => value !== null && typeName(value) === type;
