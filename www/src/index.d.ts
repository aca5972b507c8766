// Types of the edgeflag package (the same for the node, browser and workerd entries).

/** OpenFeature reasons, plus PREREQUISITE_FAILED. */
export type Reason = 'STATIC' | 'DEFAULT' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'ERROR' | 'STALE' | 'PREREQUISITE_FAILED';
/** OpenFeature error codes. */
export type ErrorCode = 'FLAG_NOT_FOUND' | 'TYPE_MISMATCH' | 'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'GENERAL';
/** The snapshot check that refused a snapshot, or `source` when it could not be fetched. */
export type Check = 'size' | 'envelope' | 'payload_type' | 'signature' | 'parse' | 'environment' | 'expiry' | 'rollback' | 'compile' | 'source';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Evaluation attributes; `targetingKey` identifies the unit. */
export type Attributes = { targetingKey?: string | number; [attribute: string]: unknown };

/** A sticky assignment: the unit got `variant` of `flag` at sticky `version`. */
export interface Assignment {
  flag: string;
  variant: string;
  version: number;
}

/** Everything about one evaluation. */
export interface Detail<T = Json> {
  value: T;
  variant?: string;
  reason: Reason;
  errorCode?: ErrorCode;
  errorMessage?: string;
  ruleId?: string;
  bucket?: number;
  exposure?: number;
  failedPrerequisite?: string;
  sticky?: boolean;
  unitMissing?: boolean;
  newAssignment?: Assignment;
}

/** What a snapshot says about itself. */
export interface SnapshotMeta {
  environment: string;
  version: number;
  issuedAt: number;
  expiresAt: number;
  flagCount: number;
}

/** Where snapshots come from. */
export interface SnapshotSource {
  fetch(request: { etag?: string }): Promise<{ bytes: Uint8Array; etag?: string } | { notModified: true }>;
}

/** Where the last good snapshot is kept for cold starts (always re-verified). */
export interface Persistence {
  load(): Promise<Uint8Array | null>;
  save(bytes: Uint8Array): Promise<void>;
}

/** Where sticky assignments are kept, per unit. */
export interface StickyStore {
  read(unit: string): Promise<Assignment[]> | Assignment[];
  write(unit: string, fresh: Assignment[]): Promise<void>;
}

export interface ClientOptions {
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
  /** Refresh period; 0 or absent for on-demand refresh only. */
  refreshIntervalMs?: number;
  /** Consecutive failed refreshes before a `stale` event (default 3). */
  staleAfterFailures?: number;
  persistence?: Persistence;
  sticky?: StickyStore;
  /** Evaluation clock in epoch ms (default Date.now). */
  clock?: () => number;
}

export interface RefreshResult {
  status: 'loaded' | 'not-modified' | 'rejected' | 'failed';
  changed?: string[];
  check?: Check;
  message?: string;
}

export interface ClientEvents {
  ready: SnapshotMeta;
  /** Every snapshot accepted (from the source or persistence), even one that changes no flag. */
  loaded: { changed: string[]; meta: SnapshotMeta; origin: 'source' | 'persisted' };
  /** `keys`: the flags added, removed, or whose JSON text in the payload differs from the serving snapshot's (byte for byte). */
  changed: { keys: string[]; meta: SnapshotMeta; origin: 'source' | 'persisted' };
  stale: { reason: 'expired' | 'refresh-failing'; since: number; failures?: number; meta: SnapshotMeta | null };
  error: { check: Check; message: string; failures: number };
}

/** A client's context (`client.context()`): converted once, evaluated many times; `free()` when done (or it is closed when garbage-collected). */
export declare class FlagContext extends EvalContext {
  private constructor();
  readonly unitKey: string | undefined;
  takeAssignments(): Assignment[];
  persist(): Promise<void>;
}

type ContextLike = Attributes | FlagContext;

export declare class EdgeFlagClient {
  constructor(options: ClientOptions);
  ready(): Promise<SnapshotMeta | null>;
  readonly meta: SnapshotMeta | null;
  readonly failures: number;
  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void;
  refresh(): Promise<RefreshResult>;
  context(attributes: Attributes, assignments?: Assignment[]): FlagContext;
  stickyContext(attributes: Attributes): Promise<FlagContext>;
  persistAssignments(context: FlagContext): Promise<Assignment[]>;
  getBoolean(key: string, fallback: boolean, context?: ContextLike): boolean;
  getString(key: string, fallback: string, context?: ContextLike): string;
  getNumber(key: string, fallback: number, context?: ContextLike): number;
  /** The snapshot's own value, frozen and shared: copy it before changing it. */
  getObject<T extends Json = Json>(key: string, fallback: T, context?: ContextLike): Readonly<T>;
  /** The value (frozen when it is an object) with its reason, variant, rule, bucket and error. */
  getDetails<T extends Json>(key: string, fallback: T, context?: ContextLike): Detail<T>;
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
  constructor(publicKeys: string[], environment: string, threshold?: number, skewMs?: number, maxBytes?: number, versionFloor?: number);
  /** Verifies and serves a signed envelope; JSON text of the changed flag keys. Throws a `Refusal` and keeps serving the previous snapshot. */
  loadJson(envelope: Uint8Array, now: number): string;
  /** Serves a payload WITHOUT verifying it: tests and local development only. */
  loadUnverifiedPayloadJson(payload: Uint8Array): string;
  /** Stops serving and drops the snapshot now (the newest version accepted is kept for anti-rollback). */
  unload(): void;
  /** Counts successful loads and unloads; flag indices hold within one generation. */
  readonly generation: number;
  /** JSON text of the serving snapshot's `SnapshotMeta`, or `null`. */
  metaJson(): string;
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
  /** The core's handle for this context; 0 once freed. */
  readonly handle: number;
  /** JSON text of the assignments made since the last call. */
  takeAssignmentsJson(): string;
  free(): void;
}

/** Low-level: details from an `Engine` for context handles (the demo's rollout chart uses it); `reset()` after each load. */
export declare function readDetails(engine: Engine): {
  detail(index: number, handle: number, now: number): Detail;
  all(handle: number, now: number): Record<string, Detail>;
  reset(): void;
};

export declare function urlSource(url: string | URL, options?: { timeoutMs?: number; retries?: number; backoffMs?: number; maxBackoffMs?: number; headers?: Record<string, string>; fetch?: typeof fetch }): SnapshotSource;
export declare function kvSource(namespace: { get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null> }, key: string): SnapshotSource;
export declare function inlineSource(data: string | Uint8Array | ArrayBuffer): SnapshotSource;
export declare function localStoragePersistence(options?: { key?: string; storage?: Storage }): Persistence;
export declare function kvPersistence(namespace: unknown, key?: string): Persistence;
export declare function cachePersistence(options?: { cacheName?: string; url?: string; maxAgeSeconds?: number }): Persistence;

export declare function memoryStore(): StickyStore;
export declare function localStorageStore(options?: { storage?: Storage; prefix?: string }): StickyStore;
export declare function cookieStore(options?: { document?: Document; name?: string; maxAgeSeconds?: number }): StickyStore;
export declare function kvStore(namespace: unknown, options?: { prefix?: string; expirationTtl?: number }): StickyStore;
export declare function requestCookieStore(request: Request, options?: { name?: string; maxAgeSeconds?: number; path?: string; secure?: boolean; sameSite?: string }): StickyStore & { setCookie(): string | undefined };
export declare function encodeAssignments(unit: string, assignments: Assignment[]): string;
export declare function decodeAssignments(value: string): { unit: string; assignments: Assignment[] } | null;
export declare function readCookie(header: string | null | undefined, name: string): string | undefined;
export declare function assignmentsCookie(unit: string, assignments: Assignment[], options?: { name?: string; maxAgeSeconds?: number; path?: string; secure?: boolean; sameSite?: string }): string;
export declare function anonymousId(options?: { document?: Document; storage?: Storage; name?: string; maxAgeSeconds?: number }): string;
