// Cold-start worker: the first request verifies and loads the 200-flag
// snapshot it is given as text and evaluates one flag.
import { EdgeFlagClient, inlineSource } from '../../dist/workerd.js';

export default {
  async fetch(request, env) {
    const client = new EdgeFlagClient({ source: inlineSource(env.SNAPSHOT), publicKeys: [env.PUBLIC_KEY], environment: 'bench' });
    await client.ready();
    return Response.json({ value: client.getBoolean('flag-00000', null, { targetingKey: 'user-1', tier: 'tier-1' }) });
  },
};
