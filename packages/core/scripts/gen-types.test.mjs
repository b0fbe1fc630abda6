/*
 * `node --test packages/core/scripts/`: fails when a committed file in
 * packages/core/src/api differs from what schema/*.yaml generates.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, cp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { API_DIR, SCHEMA_DIR, run, schemaFiles } from './gen-types.mjs';

const script = fileURLToPath(new URL('./gen-types.mjs', import.meta.url));
const execFileP = promisify(execFile);

test('committed API types match schema/*.yaml', async () => {
  const drifted = await run({ check: true });
  assert.deepEqual(
    drifted.map(d => `${d.file}: ${d.reason}`),
    [],
    'run `npm run gen-types` and commit packages/core/src/api'
  );
});

test('there are schema files to generate from', async () => {
  const files = await schemaFiles();
  assert.ok(files.length > 0, `no schema files in ${SCHEMA_DIR}`);
});

test('--check exits non-zero and names the drifted file', async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'gen-types-'));
  try {
    const apiDir = path.join(tmp, 'api');
    await cp(API_DIR, apiDir, { recursive: true });
    const [first] = await schemaFiles();
    const target = path.join(apiDir, first.replace(/\.ya?ml$/, '.ts'));
    await writeFile(target, (await readFile(target, 'utf8')) + '\n// drift\n');
    const drifted = await run({ check: true, apiDir });
    assert.equal(drifted.length, 1);
    assert.match(drifted[0].reason, /differs from schema\//);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  // The command line itself: clean tree exits 0.
  const { stdout } = await execFileP(process.execPath, [script, '--check']);
  assert.match(stdout, /up to date/);
});
