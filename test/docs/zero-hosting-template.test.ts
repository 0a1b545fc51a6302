import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  expression,
  readTemplateText,
  readWorkflowTemplate,
} from '../action-metadata/read-workflow-template.ts';
import { evaluateCondition, evaluateText } from '../fake-github/evaluate-expression.ts';
import { readRepositoryFile } from './read-repository-file.ts';

const TEMPLATE = 'claude-cluster-zero-hosting.yml';
/** Where the template gets the App's sources (a placeholder owner, explained in its header). */
const APP_REPOSITORY = 'claude-cluster/claude-cluster';

const StepSchema = z
  .object({
    uses: z.string().optional(),
    run: z.string().optional(),
    with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    env: z.record(z.string(), z.string()).optional(),
  })
  .loose();

const TriggersSchema = z
  .object({
    issues: z.object({ types: z.array(z.string()) }).strict(),
    issue_comment: z.object({ types: z.array(z.string()) }).strict(),
    workflow_run: z.object({ workflows: z.array(z.string()), types: z.array(z.string()) }).strict(),
  })
  .strict();

const workflow = await readWorkflowTemplate(TEMPLATE);
const text = await readTemplateText(TEMPLATE);
const job = workflow.jobs.handle;
const steps = z.array(StepSchema).parse(parse(text).jobs.handle.steps);

describe(TEMPLATE, () => {
  it('has one job, `handle`', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['handle']);
  });

  it('runs on a label, a new comment and a finished claude-cluster run, nothing else', () => {
    expect(TriggersSchema.parse(workflow.on)).toEqual({
      issues: { types: ['labeled'] },
      issue_comment: { types: ['created'] },
      workflow_run: { workflows: ['claude-cluster'], types: ['completed'] },
    });
  });

  it('follows the dispatched workflow by its name', async () => {
    const dispatched = await readWorkflowTemplate('claude-cluster.yml');
    expect(TriggersSchema.parse(workflow.on).workflow_run.workflows).toEqual([dispatched.name]);
  });

  it('skips comments that cannot hold a command before a runner starts', () => {
    expect(job?.if).toBe("github.event_name != 'issue_comment' || contains(github.event.comment.body, '/')");
  });

  describe('its permissions', () => {
    it('are none by default, and for the job the App’s own, in workflow spelling', async () => {
      const manifest = z
        .object({ default_permissions: z.record(z.string(), z.string()) })
        .loose()
        .parse(parse(await readRepositoryFile('app.yml')));
      const { metadata, ...appPermissions } = manifest.default_permissions;
      expect(metadata).toBe('read');
      expect(workflow.permissions).toEqual({});
      expect(job?.permissions).toEqual(
        Object.fromEntries(
          Object.entries(appPermissions).map(([name, level]) => [name.replace(/_/g, '-'), level]),
        ),
      );
    });

    it('each carry a comment saying why', () => {
      const grants = text.split('\n').filter((line) => /^\s+[a-z-]+: (read|write)\b/.test(line));
      expect(grants).toHaveLength(5);
      for (const line of grants) expect(line, 'a permission without a reason').toMatch(/ # \S/);
    });
  });

  describe('its concurrency, for events arriving while an earlier handler of the same issue runs', () => {
    /** Which of `events` GitHub would cancel before they run, under the template's groups and conditions. */
    function replaced(events: { name: string; payload: Record<string, unknown> }[]): string[] {
      // GitHub's rule: per group one running and one pending; a newer pending one cancels the older pending one,
      // whatever `cancel-in-progress` says (that only decides about the running one). Workflow-level groups hold
      // every run, even one whose jobs are then skipped; job-level groups only jobs that pass their `if:`.
      const running = new Set<string>();
      const pending = new Map<string, string>();
      const cancelled: string[] = [];
      events.forEach((event, index) => {
        const context = {
          inputs: {},
          secrets: {},
          github: { event_name: event.name, event: event.payload, run_id: String(1000 + index) },
        };
        const label = `${index}: ${String((event.payload.comment as { body?: string } | undefined)?.body ?? event.name)}`;
        const groups: string[] = [];
        if (workflow.concurrency) groups.push(evaluateText(workflow.concurrency.group, context));
        const jobConcurrency = z
          .object({ group: z.string() })
          .loose()
          .optional()
          .parse(parse(text).jobs.handle.concurrency);
        if (evaluateCondition(job?.if, context) && jobConcurrency)
          groups.push(evaluateText(jobConcurrency.group, context));
        for (const group of groups) {
          if (!running.has(group)) {
            running.add(group);
            continue;
          }
          const older = pending.get(group);
          if (older !== undefined) cancelled.push(older);
          pending.set(group, label);
        }
      });
      return cancelled;
    }
    const comment = (body: string) => ({
      name: 'issue_comment',
      payload: { issue: { number: 7 }, comment: { id: body.length, body } },
    });
    const finished = (title: string) => ({
      name: 'workflow_run',
      payload: { workflow_run: { display_title: title } },
    });

    it('never replaces a waiting /cluster approve, not by a plain comment nor by another command', () => {
      expect(
        replaced([
          comment('/cluster status'),
          comment('/cluster approve'),
          comment('LGTM'),
          comment('/cluster status'),
          { name: 'issues', payload: { issue: { number: 7 }, label: { name: 'cluster' } } },
        ]),
      ).toEqual([]);
    });

    it('lets a newer reconcile of a cluster run replace a waiting one (each re-derives the whole run)', () => {
      expect(
        replaced([
          finished('claude-cluster 7-abc (task)'),
          finished('claude-cluster 7-abc (task)'),
          finished('claude-cluster 7-abc (task)'),
        ]),
      ).toEqual(['1: workflow_run']);
    });

    it('never cancels a running handler', () => {
      expect(workflow.concurrency).toBeUndefined();
      expect(parse(text).jobs.handle.concurrency['cancel-in-progress']).toBe(false);
    });
  });

  it('gives the job a timeout', () => {
    expect(job?.['timeout-minutes']).toBeGreaterThan(0);
  });

  describe('its steps', () => {
    it('check out only the App’s sources, without a stored token', () => {
      const checkouts = steps.filter((step) => step.uses?.startsWith('actions/checkout@'));
      expect(checkouts).toHaveLength(1);
      expect(checkouts[0]?.with).toMatchObject({ repository: APP_REPOSITORY, 'persist-credentials': false });
    });

    it('use Node 24', () => {
      const setup = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
      expect(setup?.with?.['node-version']).toBe(24);
    });

    it('install production dependencies from the lockfile, running no install script', () => {
      const install = steps.find((step) => step.run?.startsWith('npm '));
      expect(install?.run).toMatch(/^npm ci\b/);
      expect(install?.run).toContain('--omit=dev');
      expect(install?.run).toContain('--ignore-scripts');
    });

    it('hand the event to app/run-in-workflow.ts with the workflow token', () => {
      const handler = steps.at(-1);
      expect(handler?.run).toBe('node app/run-in-workflow.ts');
      expect(handler?.env).toEqual({ GITHUB_TOKEN: expression('github.token') });
    });

    it('put no event text into a shell command', () => {
      for (const step of steps) expect(step.run ?? '').not.toContain('${{');
    });
  });

  it('says at the top that the App repository is a placeholder and what zero-hosting gives up', () => {
    const header = text.split('\n').slice(0, 25).join('\n');
    expect(header).toContain(`\`${APP_REPOSITORY}\``);
    expect(header).toContain('placeholder owner');
    expect(header).toContain('GITHUB_EVENT_PATH');
    expect(header).toMatch(/do not start your CI/);
    expect(header).toMatch(/per workflow run, not per job/);
  });
});
