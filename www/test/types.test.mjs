// The package's TypeScript declarations compile against a usage file in
// strict mode, and refuse the misuse it marks with @ts-expect-error.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('the TypeScript declarations accept the documented usage and refuse misuse', () => {
  const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;
  const usage = new URL('./types-usage.ts', import.meta.url).pathname;
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', usage];
  const { status, stdout, stderr } = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(status, 0, stdout + stderr);
});
