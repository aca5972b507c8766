// Snapshot sources (where signed snapshots come from) and persistence of the
// last good snapshot (where a cold start can begin from, re-verified).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const toBytes = (data) => (typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data));

/**
 * A response's body, refused (not retried) once it is known to be longer
 * than `maxBytes`: by its Content-Length before reading, else as soon as
 * the bytes read pass the cap — never buffering more than the cap and a chunk.
 */
async function readCapped(response, maxBytes, url) {
  const reader = response.body?.getReader();
  const chunks = [];
  // A Content-Length over the cap refuses the body before any of it is read.
  let length = Number(response.headers.get('content-length')) > maxBytes ? Infinity : 0;
  while (length <= maxBytes) {
    const { done, value } = reader ? await reader.read() : { done: true };
    if (done) return new Uint8Array(await new Blob(chunks).arrayBuffer()); // the chunks as one array
    chunks.push(value);
    length += value.length;
  }
  reader?.cancel().catch(() => {});
  throw Object.assign(new Error(`${url} sends more than the size cap of ${maxBytes} bytes`), { retry: false });
}

/**
 * Fetches a snapshot over HTTP(S) with ETag revalidation, a per-attempt
 * timeout, and retries with exponential backoff and full jitter on network
 * errors, 5xx and 429. A body longer than the client's size cap is not
 * downloaded (see `readCapped`).
 */
export function urlSource(url, options = {}) {
  const { timeoutMs = 5000, retries = 2, backoffMs = 250, maxBackoffMs = 5000, headers = {}, fetch: fetchImpl = globalThis.fetch } = options;
  const attempt = async (etag, maxBytes) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    try {
      const response = await fetchImpl(url, { headers: etag ? { ...headers, 'if-none-match': etag } : headers, signal: controller.signal });
      if (response.status === 304) return { notModified: true };
      if (!response.ok) {
        const error = new Error(`HTTP ${response.status} from ${url}`);
        error.retry = response.status >= 500 || response.status === 429;
        throw error;
      }
      return { bytes: await readCapped(response, maxBytes, url), etag: response.headers.get('etag') ?? undefined };
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async fetch({ etag, maxBytes = Infinity } = {}) {
      for (let tries = 0; ; tries += 1) {
        try {
          return await attempt(etag, maxBytes);
        } catch (error) {
          if (tries >= retries || error.retry === false) throw error;
          await sleep(Math.random() * Math.min(maxBackoffMs, backoffMs * 2 ** tries));
        }
      }
    },
  };
}

/** Reads a snapshot from a Workers KV binding. */
export function kvSource(namespace, key) {
  return {
    async fetch() {
      const bytes = await namespace.get(key, 'arrayBuffer');
      if (bytes == null) throw new Error(`KV key ${key} holds no snapshot`);
      return { bytes: new Uint8Array(bytes) };
    },
  };
}

/** A snapshot given inline, as envelope text or bytes. */
export function inlineSource(data) {
  return { fetch: async () => ({ bytes: toBytes(data) }) };
}

/** Keeps the last good snapshot in localStorage (browsers). */
export function localStoragePersistence({ key = 'edgeflag:last-good', storage = globalThis.localStorage } = {}) {
  return {
    async load() {
      const text = storage?.getItem(key);
      return text ? toBytes(text) : null;
    },
    async save(bytes) {
      storage?.setItem(key, new TextDecoder().decode(bytes));
    },
  };
}

/** Keeps the last good snapshot in a Workers KV namespace. */
export function kvPersistence(namespace, key = 'edgeflag:last-good') {
  return {
    async load() {
      const bytes = await namespace.get(key, 'arrayBuffer');
      return bytes ? new Uint8Array(bytes) : null;
    },
    save: (bytes) => namespace.put(key, bytes),
  };
}

/** Keeps the last good snapshot in the Cache API (workers and browsers). */
export function cachePersistence({ cacheName = 'edgeflag', url = 'https://edgeflag.invalid/last-good', maxAgeSeconds = 2592000, caches: cacheStorage = globalThis.caches } = {}) {
  return {
    async load() {
      const response = await (await cacheStorage.open(cacheName)).match(url);
      return response ? new Uint8Array(await response.arrayBuffer()) : null;
    },
    async save(bytes) {
      // The Workers Cache API keeps only responses that say they may be cached.
      const response = new Response(bytes, { headers: { 'cache-control': `max-age=${maxAgeSeconds}` } });
      await (await cacheStorage.open(cacheName)).put(url, response);
    },
  };
}
