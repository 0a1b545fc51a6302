import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent, AgentRunInput } from '../../core/agent/agent-contract.ts';
import { createCommandAgent } from '../../core/agent/command-agent.ts';
import { planWithAgent } from '../../core/agent/plan-with-agent.ts';
import { InputError } from '../../core/errors/errors.ts';

const STUB = resolve(import.meta.dirname, '../stub-agent/stub-agent.ts');
const stubCommand = `'${process.execPath}' '${STUB}'`;

const goodPlan = [
  'tasks:',
  '  - id: db',
  '    title: Add the schema',
  '    prompt: |',
  '      @write db/schema.sql = create table users (id int);',
  '  - id: api',
  '    title: Add the API',
  '    prompt: Add the users endpoint.',
  '    depends_on: [db]',
  '    files: ["src/api/**"]',
].join('\n');
const badPlan = [
  'tasks:',
  '  - id: Bad Id',
  '    title: Broken',
  '    prompt: x',
  '    depends_on: [ghost]',
].join('\n');

function issueBody(plan: string, retry?: string): string {
  const retryBlock = retry === undefined ? '' : `\n\`\`\`stub-plan-retry\n${retry}\n\`\`\`\n`;
  return `Add users.\n\n\`\`\`stub-plan\n${plan}\n\`\`\`\n${retryBlock}`;
}

/** The stub agent, recording every input it was run with. */
function recordingStub(): { agent: Agent; inputs: AgentRunInput[] } {
  const inner = createCommandAgent(stubCommand);
  const inputs: AgentRunInput[] = [];
  return {
    inputs,
    agent: {
      name: inner.name,
      preflight: () => inner.preflight(),
      run: (input) => {
        inputs.push(input);
        return inner.run(input);
      },
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-with-agent-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('planWithAgent', () => {
  const base = { cwd: '', runId: 'run-7', issueTitle: 'Add users', maxTasks: 5 };

  describe('when the first plan is valid', () => {
    it('returns it after one attempt, with the cost and turns the agent reported', async () => {
      const { agent, inputs } = recordingStub();
      const result = await planWithAgent({ ...base, cwd: dir, agent, issueBody: issueBody(goodPlan) });
      expect(result).toEqual({
        attempts: 1,
        costUsd: 0,
        turns: 1,
        plan: {
          tasks: [
            {
              id: 'db',
              title: 'Add the schema',
              prompt: '@write db/schema.sql = create table users (id int);\n',
              depends_on: [],
              files: [],
            },
            {
              id: 'api',
              title: 'Add the API',
              prompt: 'Add the users endpoint.',
              depends_on: ['db'],
              files: ['src/api/**'],
            },
          ],
        },
      });
      expect(inputs).toHaveLength(1);
      expect(inputs[0]).toMatchObject({ mode: 'plan', cwd: dir, runId: 'run-7' });
      expect(inputs[0]!.taskId).toBeUndefined();
    });
  });

  describe('when the first plan is invalid', () => {
    it('feeds the problems back once and returns the corrected plan', async () => {
      const { agent, inputs } = recordingStub();
      const result = await planWithAgent({
        ...base,
        cwd: dir,
        agent,
        issueBody: issueBody(badPlan, goodPlan),
      });
      expect(result).toMatchObject({ attempts: 2, costUsd: 0, turns: 2 });
      expect(result.plan.tasks.map((task) => task.id)).toEqual(['db', 'api']);
      expect(inputs[0]!.prompt).not.toContain('PLAN-FEEDBACK');
      expect(inputs[1]!.prompt).toContain('PLAN-FEEDBACK');
      expect(inputs[1]!.prompt).toContain(
        '- task #1 (`Bad Id`) depends on `ghost`, which is not in the plan; add that task or remove the dependency',
      );
    });

    it('gives up after the retry, listing the problems of the second plan', async () => {
      const { agent, inputs } = recordingStub();
      const failure = planWithAgent({ ...base, cwd: dir, agent, issueBody: issueBody(badPlan) });
      await expect(failure).rejects.toThrow(InputError);
      const error = (await failure.catch((caught: unknown) => caught)) as InputError;
      expect(error.message.split('\n')[0]).toBe("the agent's plan is invalid after one retry");
      expect(error.problems).toEqual([
        'task #1 (`Bad Id`): id `Bad Id` is not a valid id; use lowercase letters, digits and single dashes, at most 40 characters, e.g. `bad-id`',
        'task #1 (`Bad Id`) depends on `ghost`, which is not in the plan; add that task or remove the dependency',
      ]);
      expect(inputs).toHaveLength(2);
    });

    it('feeds back a plan that breaks the task limit', async () => {
      const { agent, inputs } = recordingStub();
      await expect(
        planWithAgent({ ...base, maxTasks: 1, cwd: dir, agent, issueBody: issueBody(goodPlan) }),
      ).rejects.toThrow(InputError);
      expect(inputs[1]!.prompt).toContain('- At most 1 task.');
      expect(inputs[1]!.prompt).toMatch(/PLAN-FEEDBACK[\s\S]*2 tasks/);
    });
  });

  describe('when the agent fails', () => {
    it('names the agent and its error', async () => {
      const { agent } = recordingStub();
      await expect(
        planWithAgent({ ...base, cwd: dir, agent, issueBody: 'No plan block here.' }),
      ).rejects.toThrow(
        `planning with agent \`${stubCommand}\` failed (attempt 1 of 2): agent \`${stubCommand}\` exited 1: stub agent: no \`\`\`stub-plan block in the prompt`,
      );
    });

    it('rejects with the abort reason when the run is aborted', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const agent = createCommandAgent('sleep 30');
      await expect(
        planWithAgent({ ...base, cwd: dir, agent, issueBody: 'x', signal: controller.signal }),
      ).rejects.toMatchObject({ name: 'AbortError' });
    });
  });
});
