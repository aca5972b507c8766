// The package's TypeScript declarations compile against a usage file in
// strict mode, and refuse the misuse it marks with @ts-expect-error; and a
// project that installed the package finds them through its `exports`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedProject } from './fixtures.mjs';

const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

/** Type-checks `file` in strict mode with the given module resolution. */
function typeCheck(file, resolution) {
  const module = resolution === 'bundler' ? 'esnext' : 'nodenext';
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', module, '--moduleResolution', resolution, '--lib', 'es2022,dom', file];
  return spawnSync(process.execPath, args, { encoding: 'utf8' });
}

test('the TypeScript declarations accept the documented usage and refuse misuse', () => {
  const { status, stdout, stderr } = typeCheck(fileURLToPath(new URL('./types-usage.ts', import.meta.url)), 'nodenext');
  assert.equal(status, 0, stdout + stderr);
});

test('a project that installed the package gets its types through exports, with Node and bundler resolution', (t) => {
  const app = `import { EdgeFlagClient, inlineSource, type Detail } from 'edgeflag';
import { webProvider } from 'edgeflag/openfeature';
const flags = new EdgeFlagClient({ source: inlineSource('{}'), publicKeys: ['00'.repeat(32)], environment: 'production' });
const detail: Detail<boolean> = flags.getDetails('new-checkout', false);
// @ts-expect-error the fallback decides the type
const wrong: string = flags.getBoolean('new-checkout', false);
void [detail, wrong, webProvider(flags)];
`;
  const file = join(installedProject(t, { 'app.ts': app }), 'app.ts');
  for (const resolution of ['nodenext', 'bundler']) {
    const { status, stdout, stderr } = typeCheck(file, resolution);
    assert.equal(status, 0, `${resolution}: ${stdout}${stderr}`);
  }
});
