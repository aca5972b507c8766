// Compiled (never run) by types.test.mjs with `tsc --noEmit --strict`: the
// declarations in src/index.d.ts must accept how the README uses the package
// and refuse misuse (each @ts-expect-error fails the check if it compiles).
import { EdgeFlagClient, Engine, EvalContext, FlagContext, readDetails, inlineSource, memoryStore, type Detail, type Refusal } from '../src/index.js';
import { serverProvider, webProvider } from '../src/openfeature.js';
import { OpenFeature as ServerFeature } from '@openfeature/server-sdk';
import { OpenFeature as WebFeature } from '@openfeature/web-sdk';

async function client(envelope: string): Promise<void> {
  const flags = new EdgeFlagClient({ source: inlineSource(envelope), publicKeys: ['00'.repeat(32)], environment: 'production', sticky: memoryStore() });
  await flags.ready();
  flags.on('loaded', ({ changed, meta }) => void [changed.length, meta.version]);
  const on: boolean = flags.getBoolean('new-checkout', false, { targetingKey: 'user-1' });
  const theme: string = flags.getString('checkout-theme', 'light');
  const layout = flags.getObject('homepage-layout', { hero: 'banner' });
  // @ts-expect-error getObject hands out the snapshot's frozen value
  layout.hero = 'video';
  const detail: Detail<number> = flags.getDetails('max-cart-items', 20);
  const context = await flags.stickyContext({ targetingKey: 'user-1' });
  flags.getNumber('max-cart-items', 0, context);
  await context.persist();
  const handle: number = context.handle;
  // @ts-expect-error client contexts come from client.context(), not a constructor
  new FlagContext('{}');
  // @ts-expect-error the fallback decides the type
  const wrong: string = flags.getBoolean('new-checkout', false);
  void [on, theme, detail, wrong, handle];
  flags.free();
}

function lowLevel(bytes: Uint8Array): void {
  const engine = new Engine(['00'.repeat(32)], 'production');
  try {
    const changed: string[] = JSON.parse(engine.loadJson(bytes, Date.now()));
    void changed;
  } catch (error) {
    const { check, message } = error as Refusal;
    void [check, message];
  }
  const context = new EvalContext(JSON.stringify({ targetingKey: 'user-1' }));
  const details = readDetails(engine);
  const index: number = engine.flagIndex('new-checkout');
  const variant: number = engine.variantIndex(index, context.handle, Date.now());
  const all: Record<string, Detail> = details.all(context.handle, Date.now());
  // @ts-expect-error the engine takes a context's handle, not the context
  engine.variantIndex(index, context, Date.now());
  void [variant, all];
  context.free();
  engine.unload();
  const generation: number = engine.generation;
  void generation;
  engine.free();
}

/** The providers satisfy the OpenFeature SDKs' own Provider types. */
async function openFeature(flags: EdgeFlagClient): Promise<void> {
  await ServerFeature.setProviderAndWait(serverProvider(flags));
  const enabled: boolean = await ServerFeature.getClient().getBooleanValue('new-checkout', false, { targetingKey: 'user-1' });
  await WebFeature.setProviderAndWait(webProvider(flags));
  const theme: string = WebFeature.getClient().getStringValue('checkout-theme', 'light');
  // @ts-expect-error a provider wraps a client, not options
  serverProvider({ environment: 'production' });
  void [enabled, theme];
}

void [client, lowLevel, openFeature];
