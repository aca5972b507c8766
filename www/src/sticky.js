// Sticky-assignment stores behind one interface — read(unit) → assignments,
// write(unit, fresh) merges — plus cookie helpers for workers and a stable
// anonymous unit id for browsers.

/**
 * A store from its `read(unit)` and a `save(unit, assignments)` of a unit's
 * whole list: `write` merges the fresh assignments into what `read` gives
 * (a flag's fresh one replacing its stored one) and saves the result, oldest
 * first.
 */
const mergingStore = (read, save) => ({
  read,
  async write(unit, fresh) {
    const byFlag = new Map((await read(unit)).map((a) => [a.flag, a]));
    for (const a of fresh) {
      byFlag.delete(a.flag); // the newest goes last, even where it replaces one
      byFlag.set(a.flag, a);
    }
    return save(unit, [...byFlag.values()]);
  },
});

/**
 * The longest cookie value written: browsers drop a cookie whose name and
 * value pass 4,096 bytes, and every assignment with it.
 */
const MAX_COOKIE_VALUE = 4000;

/** Encodes a unit's assignments as a cookie value: the newest (last) that fit in MAX_COOKIE_VALUE characters. */
export function encodeAssignments(unit, assignments) {
  for (let oldest = 0; ; oldest += 1) {
    const kept = assignments.slice(oldest).map(({ flag, variant, version }) => [flag, variant, version]);
    const value = encodeURIComponent(JSON.stringify({ u: unit, a: kept }));
    if (value.length <= MAX_COOKIE_VALUE || !kept.length) return value;
  }
}

/** Decodes a cookie value written by `encodeAssignments`; null when unreadable. */
export function decodeAssignments(value) {
  try {
    const { u, a } = JSON.parse(decodeURIComponent(value));
    return { unit: String(u), assignments: a.map(([flag, variant, version]) => ({ flag, variant, version })) };
  } catch {
    return null;
  }
}

/** The value of cookie `name` in a Cookie header (or `document.cookie`). */
export function readCookie(header, name) {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** A `Set-Cookie` header value holding a unit's assignments. */
export function assignmentsCookie(unit, assignments, { name = 'ef_sticky', maxAgeSeconds = 15552000, path = '/', secure = true, sameSite = 'Lax', httpOnly = true } = {}) {
  return `${name}=${encodeAssignments(unit, assignments)}; Max-Age=${maxAgeSeconds}; Path=${path}; SameSite=${sameSite}${secure ? '; Secure' : ''}${httpOnly ? '; HttpOnly' : ''}`;
}

/** What cookie `name` in a Cookie header (or `document.cookie`) holds for `unit`: none when it is another unit's. */
function cookieAssignments(header, name, unit) {
  const decoded = decodeAssignments(readCookie(header, name) ?? '');
  return decoded?.unit === unit ? decoded.assignments : [];
}

/** In-memory store (tests, single process). */
export function memoryStore() {
  const units = new Map();
  return mergingStore(async (unit) => units.get(unit) ?? [], (unit, assignments) => void units.set(unit, assignments));
}

/** localStorage store (browsers). */
export function localStorageStore({ storage = globalThis.localStorage, prefix = 'edgeflag:sticky:' } = {}) {
  const read = async (unit) => {
    try {
      return JSON.parse(storage.getItem(prefix + unit) ?? '[]');
    } catch {
      return [];
    }
  };
  return mergingStore(read, (unit, assignments) => storage.setItem(prefix + unit, JSON.stringify(assignments)));
}

/** Browser cookie store: one cookie holding the current unit's assignments. */
export function cookieStore({ document: doc = globalThis.document, name = 'ef_sticky', maxAgeSeconds } = {}) {
  return mergingStore(
    async (unit) => cookieAssignments(doc.cookie, name, unit),
    // Scripts cannot set HttpOnly cookies; Secure only where the page came over HTTPS.
    (unit, assignments) => void (doc.cookie = assignmentsCookie(unit, assignments, { name, maxAgeSeconds, secure: globalThis.location?.protocol === 'https:', httpOnly: false })),
  );
}

/** Workers KV store, one key per unit. */
export function kvStore(namespace, { prefix = 'sticky:', expirationTtl } = {}) {
  const read = async (unit) => (await namespace.get(prefix + unit, 'json')) ?? [];
  return mergingStore(read, (unit, assignments) => namespace.put(prefix + unit, JSON.stringify(assignments), expirationTtl ? { expirationTtl } : undefined));
}

/**
 * Request/response cookie store for workers: reads the request's Cookie
 * header; after writes, `setCookie()` gives the header to add to the response.
 */
export function requestCookieStore(request, options = {}) {
  const { name = 'ef_sticky' } = options;
  let pending;
  const read = async (unit) => (pending?.unit === unit ? pending.assignments : cookieAssignments(request.headers.get('cookie'), name, unit));
  return {
    ...mergingStore(read, (unit, assignments) => void (pending = { unit, assignments })),
    /** The Set-Cookie value to send, or undefined when nothing changed. */
    setCookie: () => (pending ? assignmentsCookie(pending.unit, pending.assignments, options) : undefined),
  };
}

/**
 * A stable anonymous unit id for browsers without a user key: read from a
 * cookie or localStorage, else created (128 random bits as hex: unlike
 * `crypto.randomUUID`, `getRandomValues` exists outside secure contexts too,
 * e.g. a page opened over plain HTTP by a LAN address) and saved in both.
 * Where the browser blocks storage and throws (a cross-site frame without
 * storage access, a sandboxed frame), the id lasts the page instead.
 */
export function anonymousId({ document: doc = globalThis.document, storage, name = 'ef_uid', maxAgeSeconds = 31536000 } = {}) {
  let id;
  try {
    id = readCookie(doc?.cookie, name) ?? (storage ??= globalThis.localStorage)?.getItem(name);
  } catch {
    // Blocked: a new id, kept where it can be.
  }
  id ||= Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  try {
    if (doc) doc.cookie = `${name}=${id}; Max-Age=${maxAgeSeconds}; Path=/; SameSite=Lax`;
    storage?.setItem(name, id);
  } catch {
    // Blocked: the id lasts the page.
  }
  return id;
}
