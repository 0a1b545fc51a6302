import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importAgentSdk } from '../../action/import-agent-sdk.ts';
import { EnvironmentError } from '../../core/errors/errors.ts';

const REAL_SDK_ENTRY = resolve(
  import.meta.dirname,
  '../../node_modules/@anthropic-ai/claude-agent-sdk/sdk.mjs',
);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'import-agent-sdk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importAgentSdk', () => {
  it('loads the installed SDK from its entry file and offers its query function', async () => {
    const sdk = await importAgentSdk(REAL_SDK_ENTRY);

    expect(typeof sdk.query).toBe('function');
  });

  it('names the file and the fix when the entry is missing', async () => {
    const entry = join(dir, 'sdk.mjs');

    const failure = importAgentSdk(entry);

    await expect(failure).rejects.toBeInstanceOf(EnvironmentError);
    await expect(failure).rejects.toThrow(`could not load @anthropic-ai/claude-agent-sdk from ${entry}`);
    await expect(failure).rejects.toThrow('so the action installs it again');
  });

  it('refuses a module that does not export query', async () => {
    const entry = join(dir, 'sdk.mjs');
    await writeFile(entry, 'export const unrelated = 1;\n');

    await expect(importAgentSdk(entry)).rejects.toThrow(`${entry} does not export \`query\``);
  });
});
