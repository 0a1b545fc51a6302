import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A signal for the stub agent's `@wait-for <path>`: tests order concurrent agents with it instead of sleeping, so
 * they do not depend on the machine's speed.
 */
export interface SignalFile {
  path: string;
  /** Resolves once an agent waits on the signal (it wrote `<path>.waiting`). */
  waiting(): Promise<void>;
  /** Lets the waiting agent go on. */
  fire(): void;
}

export function createSignalFile(): SignalFile {
  const path = join(mkdtempSync(join(tmpdir(), 'cluster-signal-')), 'go');
  return {
    path,
    async waiting() {
      const deadline = Date.now() + 60_000;
      while (!existsSync(`${path}.waiting`)) {
        if (Date.now() > deadline) throw new Error(`no agent waited on ${path} within 60 s`);
        await new Promise((done) => setTimeout(done, 25));
      }
    },
    fire: () => writeFileSync(path, ''),
  };
}
