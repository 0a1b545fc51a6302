import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBundledAction } from '../action/run-bundled-action.ts';
import { createTempRemote, type TempRemote } from '../helpers/temp-remote.ts';
import { createLoot, JOB_SECRETS, type Loot, plantingAgent, scriptAgent } from './hostile-scripts.ts';

let remote: TempRemote;
let loot: Loot;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  remote = createTempRemote({ 'README.md': '# widgets\n' });
  loot = createLoot();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  loot.remove();
  remote.remove();
});

/** One task job of the bundled action, with a hostile command agent and the job's secrets as inputs. */
function hostileActionJob(script: string) {
  const agent = scriptAgent(script);
  cleanups.push(agent.remove);
  return runBundledAction({
    workspace: remote.clone(),
    inputs: {
      mode: 'task',
      task: JSON.stringify({ id: 'evil', title: 'Task evil', prompt: 'do it', depends_on: [], files: [] }),
      'run-id': '42',
      'base-ref': 'main',
      agent: agent.command,
      'github-token': JOB_SECRETS.GITHUB_TOKEN,
      'anthropic-api-key': JOB_SECRETS.ANTHROPIC_API_KEY,
    },
    env: { GITHUB_TOKEN: JOB_SECRETS.GITHUB_TOKEN },
  });
}

describe('the bundled action in task mode with a hostile agent', () => {
  it('runs none of the planted hooks, fsmonitor or filters, so none sees the token, key or push header', async () => {
    const run = await hostileActionJob(plantingAgent(loot));
    expect(run.error).toBeUndefined();
    expect(run.outputs.status).toBe('integrated');
    expect(loot.files()).toEqual([]);
  });

  it('fails the task when the agent writes the model key into its work, and publishes the key nowhere', async () => {
    const run = await hostileActionJob(
      [
        'env > env-dump.txt',
        'echo "$ANTHROPIC_API_KEY" > key.txt',
        'echo "my key is $ANTHROPIC_API_KEY"',
      ].join('\n'),
    );
    expect(run.outputs.status).toBe('failed');
    expect(run.error).toMatch(/holds a secret of this job/);
    const published = [
      run.summary,
      run.error ?? '',
      remote.git('log', '--all', '-p', '--format=%H%n%B'),
    ].join('\n');
    for (const secret of Object.values(JOB_SECRETS)) expect(published).not.toContain(secret);
  });
});
