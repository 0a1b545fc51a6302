import { cancelOnSignals } from './cancel-on-signals.ts';
import { main } from './main.ts';

/**
 * Runs the command line of this process and sets its exit code: wiring only. Loaded by `bin.ts` once the Node
 * version is known to be supported, so its imports may use anything that Node has.
 */
export async function runCli(): Promise<void> {
  const signal = cancelOnSignals(process.stderr);
  process.exitCode = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal,
  });
}
