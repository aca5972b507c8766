// The example edge worker: builds the evaluation context from the request
// (headers, cookies, the `cf` geo fields), evaluates flags from a signed
// snapshot held in Workers KV, keeps sticky assignments in a cookie, and
// routes or rewrites the response by flag:
//   /            a page with a canary banner injected for `canary-banner` units
//   /search      a blue-green origin switch by `search-backend`
//   /flags       every flag's detail for this request, as JSON
//   /status      the serving snapshot and the last refresh outcome
//
// Bindings: FLAGS (KV, key `snapshot`), PUBLIC_KEYS (comma-separated hex),
// ENVIRONMENT, and optionally REFRESH_MS (default 5000).
import { EdgeFlagClient, kvSource, kvPersistence, requestCookieStore, readCookie } from 'edgeflag';

const UNIT_COOKIE = 'ef_uid';
let client;
let lastRefresh = 0;
let lastOutcome = { status: 'none' };

function clientFor(env) {
  client ??= new EdgeFlagClient({
    source: kvSource(env.FLAGS, 'snapshot'),
    persistence: kvPersistence(env.FLAGS, 'last-good'),
    publicKeys: env.PUBLIC_KEYS.split(',').map((k) => k.trim()),
    environment: env.ENVIRONMENT,
  });
  return client;
}

/** Refreshes from KV at most every REFRESH_MS; a failed refresh keeps the last good snapshot. */
async function refreshed(env) {
  const flags = clientFor(env);
  await flags.ready();
  const interval = Number(env.REFRESH_MS ?? 5000);
  if (Date.now() - lastRefresh >= interval) {
    lastRefresh = Date.now();
    lastOutcome = await flags.refresh();
  }
  return flags;
}

/** The evaluation context of a request. */
function contextOf(request, unit) {
  const cf = request.cf ?? {};
  const url = new URL(request.url);
  return {
    targetingKey: unit,
    ip: request.headers.get('cf-connecting-ip') ?? undefined,
    user_agent: request.headers.get('user-agent') ?? undefined,
    language: request.headers.get('accept-language')?.split(',')[0],
    email: request.headers.get('x-user-email') ?? undefined,
    plan: request.headers.get('x-user-plan') ?? undefined,
    app: { version: request.headers.get('x-app-version') ?? undefined },
    geo: { country: cf.country, region: cf.region, city: cf.city, continent: cf.continent },
    session: { id: unit },
    path: url.pathname,
  };
}

/** The search origins the blue-green switch may route to: a flag value is never trusted as a header or a URL. */
const SEARCH_ORIGINS = new Set(['blue', 'green']);

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The shop page; every flag answers its fallback when the snapshot lacks it or holds another type. */
function page(flags, context) {
  const greeting = escapeHtml(flags.getString('greeting', 'Welcome!', context));
  const checkout = flags.getBoolean('new-checkout', false, context) ? 'new' : 'classic';
  return `<!doctype html><html><head><title>edgeflag shop</title></head><body>
<main><h1>${greeting}</h1><p>Checkout: ${checkout}</p></main></body></html>`;
}

async function respond(request, env, flags, context) {
  const { pathname } = new URL(request.url);
  const meta = flags.meta;
  const headers = { 'x-edgeflag-version': String(meta?.version ?? 'none') };
  if (pathname === '/status') {
    return Response.json({ meta, lastRefresh: lastOutcome, failures: flags.failures }, { headers });
  }
  if (pathname === '/flags') {
    return Response.json({ version: meta?.version ?? null, flags: flags.evaluateAll(context) }, { headers });
  }
  if (pathname === '/search') {
    const backend = flags.getString('search-backend', 'blue', context);
    const origin = SEARCH_ORIGINS.has(backend) ? backend : 'blue';
    return Response.json({ origin, query: new URL(request.url).searchParams.get('q') }, { headers: { ...headers, 'x-origin': origin } });
  }
  if (pathname === '/') {
    const html = new Response(page(flags, context), { headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
    if (!flags.getBoolean('canary-banner', false, context)) return html;
    return new HTMLRewriter()
      .on('body', { element: (body) => body.prepend('<div id="canary-banner">You are on the canary.</div>', { html: true }) })
      .transform(html);
  }
  return new Response('not found', { status: 404, headers });
}

export default {
  async fetch(request, env) {
    const flags = await refreshed(env);
    const cookieHeader = request.headers.get('cookie');
    const knownUnit = readCookie(cookieHeader, UNIT_COOKIE);
    const unit = knownUnit ?? crypto.randomUUID();
    const sticky = requestCookieStore(request);
    const context = flags.context(contextOf(request, unit), await sticky.read(unit));
    const response = await respond(request, env, flags, context);
    const fresh = context.takeAssignments();
    context.free();
    if (fresh.length) await sticky.write(unit, fresh);
    const headers = new Headers(response.headers);
    if (!knownUnit) headers.append('set-cookie', `${UNIT_COOKIE}=${unit}; Max-Age=31536000; Path=/; SameSite=Lax; HttpOnly`);
    const stickyCookie = sticky.setCookie();
    if (stickyCookie) headers.append('set-cookie', stickyCookie);
    return new Response(response.body, { status: response.status, headers });
  },
};
