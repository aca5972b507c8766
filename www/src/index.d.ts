// Types of the edgeflag package (the same for the node, browser and workerd entries).

/** OpenFeature reasons, plus PREREQUISITE_FAILED. */
export type Reason = 'STATIC' | 'DEFAULT' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'ERROR' | 'STALE' | 'PREREQUISITE_FAILED';
/** OpenFeature error codes. */
export type ErrorCode = 'FLAG_NOT_FOUND' | 'TYPE_MISMATCH' | 'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'GENERAL';
/** The snapshot check that refused a snapshot, or `source` when it could not be fetched. */
export type Check = 'size' | 'envelope' | 'payload_type' | 'signature' | 'parse' | 'environment' | 'expiry' | 'rollback' | 'compile' | 'source';

/** A JSON value: what a variant holds. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Evaluation attributes; `targetingKey` identifies the unit. */
export type Attributes = { targetingKey?: string | number; [attribute: string]: unknown };

/** A sticky assignment: the unit got `variant` of `flag` at sticky `version`. */
export interface Assignment {
  /** The sticky flag's key. */
  flag: string;
  /** The variant the unit got. */
  variant: string;
  /** The flag's sticky version then; a flag whose version moved on assigns afresh. */
  version: number;
}

/** Everything about one evaluation. */
export interface Detail<T = Json> {
  /** The value served, or the caller's fallback on an error. */
  value: T;
  /** The variant served. */
  variant?: string;
  /** Why this value: OpenFeature's reasons, plus PREREQUISITE_FAILED. */
  reason: Reason;
  /** What went wrong, when `reason` is ERROR. */
  errorCode?: ErrorCode;
  /** The error in words. */
  errorMessage?: string;
  /** The id of the rule that decided. */
  ruleId?: string;
  /** Where a rollout placed the unit, 0 to 99,999. */
  bucket?: number;
  /** The rollout's exposure at the evaluation time, in thousandths of a percent (100,000 = everyone). */
  exposure?: number;
  /** The prerequisite flag that did not land on a required variant. */
  failedPrerequisite?: string;
  /** The variant came from the unit's stored sticky assignment. */
  sticky?: boolean;
  /** A rollout found no unit attribute (no `targetingKey`, or its `bucket_by` attribute) and was skipped. */
  unitMissing?: boolean;
  /** A sticky flag's new assignment, to store for the unit. */
  newAssignment?: Assignment;
}

/** What a snapshot says about itself. */
export interface SnapshotMeta {
  /** The environment it was built for. */
  environment: string;
  /** Its version; versions only go up (a lower one is refused as a rollback). */
  version: number;
  /** When it was signed, in epoch ms. */
  issuedAt: number;
  /** When it stops being fresh, in epoch ms: past it, values come with reason STALE. */
  expiresAt: number;
  /** How many flags it holds. */
  flagCount: number;
}

/** Where snapshots come from. */
export interface SnapshotSource {
  /**
   * The envelope's bytes (with an ETag to revalidate next time), or `notModified` when `etag` still holds; throws when
   * it cannot fetch. `maxBytes` is the client's size cap: a source may refuse a longer envelope without downloading it.
   */
  fetch(request: { etag?: string; maxBytes?: number }): Promise<{ bytes: Uint8Array; etag?: string } | { notModified: true }>;
}

/** Where the last good snapshot is kept for cold starts (always re-verified). */
export interface Persistence {
  /** The envelope saved last, or null. */
  load(): Promise<Uint8Array | null>;
  /** Keeps an envelope the core accepted. */
  save(bytes: Uint8Array): Promise<void>;
}

/** Where sticky assignments are kept, per unit. */
export interface StickyStore {
  /** The unit's stored assignments. */
  read(unit: string): Promise<Assignment[]> | Assignment[];
  /** Merges new assignments into the unit's (one per flag, the newest kept). */
  write(unit: string, fresh: Assignment[]): Promise<void>;
}

/** What `new EdgeFlagClient()` takes. */
export interface ClientOptions {
  /** Where signed snapshots come from: `urlSource`, `kvSource`, `inlineSource` or your own. */
  source: SnapshotSource;
  /** Trusted Ed25519 public keys, hex. */
  publicKeys: string[];
  /** The environment snapshots must be built for. */
  environment: string;
  /** Distinct trusted signatures required (default 1). */
  threshold?: number;
  /** Clock skew allowed on issue and expiry times (default 300000 ms). */
  skewMs?: number;
  /** Envelope size cap in bytes (default 16 MiB). */
  maxBytes?: number;
  /** Refuse snapshot versions below this. */
  versionFloor?: number;
  /**
   * Fail closed: how long past its `expiresAt` a snapshot still answers.
   * Past that, every evaluation answers the caller's fallback (details:
   * `GENERAL`, "no snapshot is serving") until a fresh snapshot loads, and
   * getters read the clock on every call. Absent (the default): an expired
   * snapshot answers until replaced, its details' reason `STALE`.
   */
  maxStaleMs?: number;
  /** Refresh period; 0 or absent for on-demand refresh only. */
  refreshIntervalMs?: number;
  /** Consecutive failed refreshes before a `stale` event (default 3). */
  staleAfterFailures?: number;
  /** Where the last good snapshot is kept, so a cold start can serve it (re-verified) while the source is down. */
  persistence?: Persistence;
  /** Where sticky assignments are kept (`stickyContext`, `persistAssignments`). */
  sticky?: StickyStore;
  /** Evaluation clock in epoch ms (default Date.now). */
  clock?: () => number;
}

/** What one refresh did. */
export interface RefreshResult {
  /** `loaded` a new snapshot; `not-modified` (ETag); `rejected` by a check; `failed` to fetch. The serving snapshot stays unless `loaded`. */
  status: 'loaded' | 'not-modified' | 'rejected' | 'failed';
  /** The flags a loaded snapshot changed. */
  changed?: string[];
  /** The check that refused it, or `source`. */
  check?: Check;
  /** Why, in words. */
  message?: string;
}

/** The client's events and what each listener receives. */
export interface ClientEvents {
  /** The first load attempt served a snapshot. */
  ready: SnapshotMeta;
  /** Every snapshot accepted (from the source or persistence), even one that changes no flag. */
  loaded: { changed: string[]; meta: SnapshotMeta; origin: 'source' | 'persisted' };
  /** `keys`: the flags added, removed, or whose JSON text in the payload differs from the serving snapshot's (byte for byte). */
  changed: { keys: string[]; meta: SnapshotMeta; origin: 'source' | 'persisted' };
  /** The serving snapshot expired, or refreshes failed `staleAfterFailures` times in a row; once each until a load succeeds. */
  stale: { reason: 'expired' | 'refresh-failing'; since: number; failures?: number; meta: SnapshotMeta | null };
  /** A refresh failed or was refused; the serving snapshot stays. */
  error: { check: Check; message: string; failures: number };
}

/** A client's context (`client.context()`): converted once, evaluated many times; `free()` when done (or it is closed when garbage-collected). */
export declare class FlagContext extends EvalContext {
  private constructor();
  /** The unit (`targetingKey`) its sticky assignments are stored under. */
  readonly unitKey: string | undefined;
  /** The sticky assignments made since the last call. */
  takeAssignments(): Assignment[];
  /** Writes the new sticky assignments to the client's sticky store. */
  persist(): Promise<void>;
}

/** A context to evaluate: plain attributes (converted for that one call) or a `FlagContext` (converted once). */
type ContextLike = Attributes | FlagContext;

/**
 * Loads signed snapshots from a source, verifies each in the wasm core and
 * keeps the last good one serving; evaluates flags synchronously, and no
 * getter ever throws: on any error it answers the caller's fallback.
 */
export declare class EdgeFlagClient {
  /** Starts loading at once (persisted snapshot first, if any, then the source); throws only on missing options or a malformed key. */
  constructor(options: ClientOptions);
  /** Resolves once the first load attempt finished: the serving snapshot's meta, or null when none could be loaded. */
  ready(): Promise<SnapshotMeta | null>;
  /** The serving snapshot's meta, or null. */
  readonly meta: SnapshotMeta | null;
  /** Consecutive failed or refused refreshes. */
  readonly failures: number;
  /** Subscribes a listener; returns the function that unsubscribes it. A listener that throws is ignored. */
  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void;
  /**
   * Fetches the source once and loads what it returns; never throws.
   * Refreshes run one at a time: one asked for while another is fetching
   * fetches after that one has loaded.
   */
  refresh(): Promise<RefreshResult>;
  /**
   * Converts attributes (and the unit's stored assignments) once for many evaluations; `free()` it when done.
   * Never throws: a context the core refuses answers every flag's fallback, and its `refusal` says why.
   */
  context(attributes: Attributes, assignments?: Assignment[]): FlagContext;
  /** Like `context()`, with the unit's assignments read from the sticky store; rejects only when the store's `read` does. */
  stickyContext(attributes: Attributes): Promise<FlagContext>;
  /** Writes a context's new sticky assignments to the sticky store; returns them (rejects when the store's `write` does). */
  persistAssignments(context: FlagContext): Promise<Assignment[]>;
  /** A boolean flag's value, or `fallback` on any error (missing flag, other type, refused context). */
  getBoolean(key: string, fallback: boolean, context?: ContextLike): boolean;
  /** A string flag's value, or `fallback` on any error. */
  getString(key: string, fallback: string, context?: ContextLike): string;
  /** A number flag's value, or `fallback` on any error. */
  getNumber(key: string, fallback: number, context?: ContextLike): number;
  /** The snapshot's own value, frozen and shared: copy it before changing it. */
  getObject<T extends Json = Json>(key: string, fallback: T, context?: ContextLike): Readonly<T>;
  /** The value (frozen when it is an object) with its reason, variant, rule, bucket and error. */
  getDetails<T extends Json>(key: string, fallback: T, context?: ContextLike): Detail<T>;
  /** Every flag's detail for one context, keyed by flag, in snapshot order. */
  evaluateAll(context?: ContextLike): Record<string, Detail>;
  /** Stops refreshing; the serving snapshot keeps answering. */
  close(): void;
  /** Stops refreshing and drops the snapshot in the core now (not when garbage-collected); then every getter answers its fallback. */
  free(): void;
}

/** Bytes of wasm linear memory in use (it grows, never shrinks): for monitoring. */
export declare function wasmMemoryBytes(): number;
/** Why the core refused a snapshot: the failed check and a message naming it. */
export interface Refusal {
  check: Check;
  message: string;
}

/**
 * Low-level: the wasm core itself, which `EdgeFlagClient` wraps. A snapshot
 * crosses as bytes and is verified and compiled inside; flags are addressed
 * by index (valid while `generation` stays the same), contexts by their
 * `EvalContext.handle`; evaluations answer with numbers, which `readDetails`
 * turns into details. Call `free()` when done.
 */
export declare class Engine {
  /** Trusts `publicKeys` (64 hex digits each) for `environment`; throws on a bad key or threshold. */
  constructor(publicKeys: string[], environment: string, threshold?: number, skewMs?: number, maxBytes?: number, versionFloor?: number, maxStaleMs?: number);
  /** The envelope size cap in bytes: the `maxBytes` given, or the default (16 MiB). */
  readonly maxBytes: number;
  /** Verifies and serves a signed envelope; JSON text of the changed flag keys. Throws a `Refusal` and keeps serving the previous snapshot. */
  loadJson(envelope: Uint8Array, now: number): string;
  /** Throws the `size` refusal `loadJson` would for an envelope of `length` bytes; call it first to keep an oversized envelope out of wasm memory. */
  checkSize(length: number): void;
  /** Serves a payload WITHOUT verifying it: tests and local development only. */
  loadUnverifiedPayloadJson(payload: Uint8Array): string;
  /** Stops serving and drops the snapshot now (the newest version accepted is kept for anti-rollback). */
  unload(): void;
  /** Counts successful loads and unloads; flag indices hold within one generation. */
  readonly generation: number;
  /** JSON text of the serving snapshot's `SnapshotMeta`, or `null`. */
  metaJson(): string;
  /** The serving snapshot's flag keys, in order. */
  flagKeys(): string[];
  /** The flag's index in the serving snapshot, or -1. */
  flagIndex(key: string): number;
  /** JSON text `{key, values, variants, rules, constant, timed}` describing a flag, or `null`. */
  flagJson(index: number): string;
  /** The index of the variant served (into `values` of `flagJson`), or -1 on an error or a freed context. */
  variantIndex(index: number, handle: number, now: number): number;
  /** Evaluates one flag and leaves its detail as numbers at `recordAddress()` (see `readDetails`). */
  detailRecord(index: number, handle: number, now: number): void;
  /** Where in the module's memory `detailRecord` leaves its numbers; fixed for the engine's life. */
  recordAddress(): number;
  /** Every flag's detail as numbers, one record after another (none for a freed context). */
  evaluateAllRecords(handle: number, now: number): Float64Array;
  /** Releases the engine and its snapshot. */
  free(): void;
}

/**
 * Low-level: a context held in the core, with the unit's sticky assignments;
 * `Engine` calls take its `handle`. Call `free()` when done (a context never
 * freed is closed when garbage-collected).
 */
export declare class EvalContext {
  /**
   * Reads attributes (an object, written straight into the core; or its JSON
   * text) and stored assignments (or their JSON text); throws `INVALID_CONTEXT: …` when refused:
   * not an object, nested deeper than 16 levels, more than 10,000 values, or more than 1 MiB of
   * text (its JSON; for an object, the UTF-8 of its keys and strings; stored assignments included), refused
   * before it is copied.
   */
  constructor(attributes: Attributes | string, assignments?: Assignment[] | string);
  /** The core's handle for this context; 0 once freed (or, for a client's context, when refused). */
  readonly handle: number;
  /** Why the core refused a client's context (`INVALID_CONTEXT: …`); undefined when it reads. */
  readonly refusal: string | undefined;
  /** JSON text of the assignments made since the last call. */
  takeAssignmentsJson(): string;
  /** Releases the context in the core; evaluating it afterwards answers the caller's default. */
  free(): void;
}

/** Low-level: details from an `Engine` for context handles (the demo's rollout chart uses it); `reset()` after each load. */
export declare function readDetails(engine: Engine): {
  detail(index: number, handle: number, now: number): Detail;
  all(handle: number, now: number): Record<string, Detail>;
  reset(): void;
};

/**
 * Fetches a snapshot over HTTP(S): ETag revalidation, a timeout per attempt
 * (default 5000 ms), and `retries` (default 2) with exponential backoff and
 * full jitter on network errors, 5xx and 429; a 4xx fails at once, and so
 * does a body longer than the client's size cap: refused by its
 * Content-Length unread, or, chunked, as soon as what was read passes the cap.
 */
export declare function urlSource(url: string | URL, options?: { timeoutMs?: number; retries?: number; backoffMs?: number; maxBackoffMs?: number; headers?: Record<string, string>; fetch?: typeof fetch }): SnapshotSource;
/** Reads a snapshot from a Workers KV binding; fails when `key` holds none. */
export declare function kvSource(namespace: { get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null> }, key: string): SnapshotSource;
/** A snapshot given inline, as envelope text or bytes. */
export declare function inlineSource(data: string | Uint8Array | ArrayBuffer): SnapshotSource;
/** Keeps the last good snapshot in localStorage (browsers). */
export declare function localStoragePersistence(options?: { key?: string; storage?: Storage }): Persistence;
/** Keeps the last good snapshot in a Workers KV namespace. */
export declare function kvPersistence(namespace: unknown, key?: string): Persistence;
/** Keeps the last good snapshot in the Cache API (workers and browsers). */
export declare function cachePersistence(options?: { cacheName?: string; url?: string; maxAgeSeconds?: number }): Persistence;

/** Sticky assignments in memory (tests, one process). */
export declare function memoryStore(): StickyStore;
/** Sticky assignments in localStorage, one item per unit (browsers). */
export declare function localStorageStore(options?: { storage?: Storage; prefix?: string }): StickyStore;
/** Sticky assignments in one browser cookie holding the current unit's: the newest that fit in 4,000 characters (see `encodeAssignments`). */
export declare function cookieStore(options?: { document?: Document; name?: string; maxAgeSeconds?: number }): StickyStore;
/** Sticky assignments in a Workers KV namespace, one key per unit. */
export declare function kvStore(namespace: unknown, options?: { prefix?: string; expirationTtl?: number }): StickyStore;
/**
 * Sticky assignments in workers: read from the request's Cookie header;
 * after writes, `setCookie()` gives the Set-Cookie value to add to the
 * response (undefined when nothing changed).
 */
export declare function requestCookieStore(request: Request, options?: { name?: string; maxAgeSeconds?: number; path?: string; secure?: boolean; sameSite?: string }): StickyStore & { setCookie(): string | undefined };
/**
 * A unit's assignments as a cookie value of at most 4,000 characters: the
 * newest (last) that fit, the oldest left out — browsers drop a cookie over
 * 4,096 bytes whole. The cookie stores keep assignments oldest first.
 */
export declare function encodeAssignments(unit: string, assignments: Assignment[]): string;
/** Reads a cookie value written by `encodeAssignments`; null when unreadable. */
export declare function decodeAssignments(value: string): { unit: string; assignments: Assignment[] } | null;
/** Cookie `name`'s value in a Cookie header (or `document.cookie`). */
export declare function readCookie(header: string | null | undefined, name: string): string | undefined;
/** A Set-Cookie value holding a unit's assignments (HttpOnly, Secure and SameSite=Lax by default). */
export declare function assignmentsCookie(unit: string, assignments: Assignment[], options?: { name?: string; maxAgeSeconds?: number; path?: string; secure?: boolean; sameSite?: string; httpOnly?: boolean }): string;
/**
 * A stable anonymous unit id for browsers without a user key (32 hex digits,
 * 128 random bits; made with `crypto.getRandomValues`, so also in pages that
 * are not secure contexts): read from a cookie or localStorage, else created
 * and saved in both. Never throws: where the browser blocks storage (a
 * cross-site frame without storage access, a sandboxed frame) the id lasts
 * the page.
 */
export declare function anonymousId(options?: { document?: Document; storage?: Storage; name?: string; maxAgeSeconds?: number }): string;
