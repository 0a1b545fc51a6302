import { type PushedRef, pushRefusals } from './check-pushed-commits.ts';

/**
 * The fake GitHub's pre-receive hook, run by `git receive-pack` (under `git http-backend`) as
 * `node git-push-hook.ts pre-receive` with the ref updates on stdin (`<old> <new> <ref>` lines): refuses what GitHub
 * refuses (see check-pushed-commits.ts), printing its messages, which git shows the pusher as `remote:` lines.
 */
async function main(hook: string | undefined): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const refs: PushedRef[] = Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [before = '', after = '', ref = ''] = line.trim().split(' ');
      return { before, after, ref };
    });
  if (hook === 'pre-receive') {
    const refusals = await pushRefusals(process.cwd(), refs, {
      mayChangeWorkflows: process.env.FAKE_GITHUB_MAY_CHANGE_WORKFLOWS === '1',
      maxFileBytes: Number(process.env.FAKE_GITHUB_MAX_FILE_BYTES),
    });
    for (const refusal of refusals) process.stderr.write(`error: ${refusal}\n`);
    return refusals.length === 0 ? 0 : 1;
  }
  process.stderr.write(`git-push-hook.ts: unknown hook ${hook}; expected pre-receive\n`);
  return 1;
}

process.exitCode = await main(process.argv[2]);
