// A worker that exercises the Workers storage adapters against workerd's real
// KV and Cache API, and reports what it read back.
import { kvStore, cachePersistence, kvPersistence } from '../dist/workerd.js';

export default {
  async fetch(request, env) {
    const sticky = kvStore(env.STICKY, { prefix: 'u:' });
    await sticky.write('unit-1', [{ flag: 'a', variant: 'x', version: 1 }]);
    await sticky.write('unit-1', [{ flag: 'b', variant: 'y', version: 2 }, { flag: 'a', variant: 'z', version: 1 }]);
    const cache = cachePersistence({ cacheName: 'edgeflag-test' });
    const emptyCache = await cache.load();
    await cache.save(new TextEncoder().encode('{"snapshot":1}'));
    const kv = kvPersistence(env.STICKY, 'last-good');
    await kv.save(new TextEncoder().encode('{"snapshot":2}'));
    return Response.json({
      sticky: await sticky.read('unit-1'),
      stranger: await sticky.read('unit-2'),
      raw: await env.STICKY.get('u:unit-1', 'json'),
      emptyCache,
      cached: new TextDecoder().decode(await cache.load()),
      kv: new TextDecoder().decode(await kv.load()),
    });
  },
};
