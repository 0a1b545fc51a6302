import { PassThrough, Readable } from 'node:stream';
import { main } from '../../cli/main.ts';

/** What one in-process CLI invocation printed and returned. */
export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `claude-cluster <args>` in-process with captured, non-TTY streams. */
export async function runCli(
  args: string[],
  options: { stdin?: string; signal?: AbortSignal } = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const exitCode = await main(args, {
    stdin: Readable.from([options.stdin ?? '']),
    stdout,
    stderr,
    signal: options.signal ?? new AbortController().signal,
  });
  return { exitCode, stdout: out.join(''), stderr: err.join('') };
}
