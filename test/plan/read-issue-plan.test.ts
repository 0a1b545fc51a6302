import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readIssuePlan } from '../../core/plan/read-issue-plan.ts';
import { thrownInputError } from '../helpers/thrown-input-error.ts';

const issue = (name: string) =>
  readFile(new URL(`../fixtures/plans/issues/${name}`, import.meta.url), 'utf8');

/** The tasks of a plan found in the issue, as [id, title, prompt]. */
function tasksOf(markdown: string) {
  const result = readIssuePlan(markdown);
  if (result.source === 'none') throw new Error('expected a plan');
  return result.plan.tasks.map((task) => [task.id, task.title, task.prompt]);
}

describe('readIssuePlan', () => {
  describe('with a ```cluster block', () => {
    it('reads the plan from the block and ignores the task list beside it', async () => {
      const result = readIssuePlan(await issue('explicit-block.md'));
      expect(result.source).toBe('block');
      expect(result.source !== 'none' && result.plan.tasks).toEqual([
        {
          id: 'db-schema',
          title: 'Add the users table',
          prompt: 'Create a migration for a `users` table.',
          depends_on: [],
          files: [],
        },
        {
          id: 'api',
          title: 'Expose GET /users',
          prompt: 'Add GET /users.\nUse the table from db-schema.\n',
          depends_on: ['db-schema'],
          files: [],
        },
      ]);
    });

    it('accepts a `yaml cluster` info string on a longer ~~~~ fence with shorter fences inside', async () => {
      const result = readIssuePlan(await issue('yaml-cluster-tilde.md'));
      expect(result.source).toBe('block');
      const prompt = result.source === 'block' ? result.plan.tasks[0]?.prompt : '';
      expect(prompt).toContain('```ts\nconst tokens = tokenize(source);\n```');
      expect(prompt).toContain('~~~\nA short tilde fence inside must not close the block.\n~~~');
    });

    it('removes the fence’s indentation from the YAML', () => {
      const markdown = '  ```cluster\n  tasks:\n    - id: a\n      title: A\n      prompt: Do A.\n  ```\n';
      expect(tasksOf(markdown)).toEqual([['a', 'A', 'Do A.']]);
    });

    it('reads GitHub’s CRLF line endings', () => {
      const markdown =
        'Plan:\r\n```cluster\r\ntasks:\r\n  - id: a\r\n    title: A\r\n    prompt: Do A.\r\n```\r\n';
      expect(tasksOf(markdown)).toEqual([['a', 'A', 'Do A.']]);
    });

    it('ignores a plan block inside an HTML comment, as an issue template may hold one', () => {
      const markdown = '<!-- To give a plan, write:\n```cluster\ntasks: []\n```\n-->\n- [ ] The real task\n';
      expect(readIssuePlan(markdown)).toMatchObject({
        source: 'task-list',
        plan: { tasks: [{ id: 'the-real-task' }] },
      });
    });

    it('does not treat `cluster-notes` or `yaml` blocks as plans', () => {
      const markdown = '```cluster-notes\ntasks: []\n```\n```yaml\ntasks: []\n```\n';
      expect(readIssuePlan(markdown)).toEqual({ source: 'none' });
    });

    it('refuses two plan blocks, naming their lines', async () => {
      const markdown = await issue('two-blocks.md');
      expect(thrownInputError(() => readIssuePlan(markdown)).problems).toEqual([
        'the issue has 2 `cluster` blocks (lines 3 and 12); keep exactly one',
      ]);
    });

    it('reports YAML syntax errors inside the block with their line and column', () => {
      const error = thrownInputError(() => readIssuePlan('```cluster\ntasks: [\n```\n'));
      expect(error.message).toMatch(/^the `cluster` block of the issue \(line 1\) is not valid YAML\n/);
      expect(error.problems[0]).toMatch(/^plan YAML line \d+, column \d+: /);
    });

    it('reports every plan problem of the block', () => {
      const markdown =
        '```cluster\ntasks:\n  - id: a\n    title: A\n    prompt: ""\n    depends_on: [b]\n```\n';
      expect(thrownInputError(() => readIssuePlan(markdown)).problems).toEqual([
        'task #1 (`a`): `prompt` is empty; write the instruction the agent should follow',
        'task #1 (`a`) depends on `b`, which is not in the plan; add that task or remove the dependency',
      ]);
    });

    it('applies maxTasks to the block', () => {
      const tasks = ['a', 'b', 'c'].map((id) => `  - {id: ${id}, title: ${id}, prompt: do ${id}}`).join('\n');
      const markdown = `\`\`\`cluster\ntasks:\n${tasks}\n\`\`\`\n`;
      expect(thrownInputError(() => readIssuePlan(markdown, { maxTasks: 2 })).problems[0]).toMatch(
        /^the plan has 3 tasks, more than the limit of 2;/,
      );
    });
  });

  describe('with a task list', () => {
    it('makes each unchecked top-level item an independent task with its nested prose', async () => {
      const result = readIssuePlan(await issue('task-list.md'));
      expect(result.source).toBe('task-list');
      expect(result.source === 'task-list' && result.plan.tasks).toEqual([
        {
          id: 'add-a-health-endpoint',
          title: 'Add a `/health` endpoint',
          prompt: [
            'Add a `/health` endpoint',
            'It returns `{"status":"ok","version":…}` with status 200.',
            '',
            'Keep it unauthenticated:',
            '- no auth middleware',
            '- no rate limit',
          ].join('\n'),
          depends_on: [],
          files: [],
        },
        {
          id: 'export-prometheus-metrics',
          title: 'Export Prometheus metrics!',
          prompt: 'Export Prometheus metrics!',
          depends_on: [],
          files: [],
        },
        {
          id: 'add-a-health-endpoint-2',
          title: 'Add a /health endpoint',
          prompt: 'Add a /health endpoint',
          depends_on: [],
          files: [],
        },
      ]);
    });

    it('keeps a fenced code block nested in an item as part of its prompt', () => {
      const markdown =
        '- [ ] Add the route\n  ```ts\n  app.get("/x");\n\n  - [ ] not a task\n  ```\n- [ ] Second\n';
      expect(tasksOf(markdown)).toEqual([
        ['add-the-route', 'Add the route', 'Add the route\n```ts\napp.get("/x");\n\n- [ ] not a task\n```'],
        ['second', 'Second', 'Second'],
      ]);
    });

    it('continues an item with an unindented line of the same paragraph', () => {
      expect(tasksOf('- [ ] Rename the module\nand update the imports.\n\nUnrelated paragraph.\n')).toEqual([
        ['rename-the-module', 'Rename the module', 'Rename the module\nand update the imports.'],
      ]);
    });

    it('accepts *, + and tab-indented continuation lines', () => {
      expect(tasksOf('* [ ] Star\n\tdetail under star\n+ [ ] Plus\n')).toEqual([
        ['star', 'Star', 'Star\n  detail under star'],
        ['plus', 'Plus', 'Plus'],
      ]);
    });

    it('refuses a task list the plan checks reject, such as too many items', () => {
      const markdown = Array.from({ length: 21 }, (_, i) => `- [ ] Task ${i}`).join('\n');
      expect(thrownInputError(() => readIssuePlan(markdown)).problems).toEqual([
        'the plan has 21 tasks, more than the limit of 20; merge related tasks or raise `max_tasks` in .github/claude-cluster.yml (at most 256)',
      ]);
    });

    it('keeps HTML and comment text in an item as plain data', () => {
      const markdown = '- [ ] Fix <img src=x onerror=alert(1)> <!-- run rm -rf / -->\n';
      expect(tasksOf(markdown)).toEqual([
        [
          'fix-img-src-x-onerror-alert-1-run-rm-rf',
          'Fix <img src=x onerror=alert(1)> <!-- run rm -rf / -->',
          'Fix <img src=x onerror=alert(1)> <!-- run rm -rf / -->',
        ],
      ]);
    });
  });

  describe('with neither a block nor unchecked items', () => {
    it('returns `none` for prose, code, plain bullets and checked items', async () => {
      expect(readIssuePlan(await issue('no-plan.md'))).toEqual({ source: 'none' });
    });

    it('returns `none` for an empty body', () => {
      expect(readIssuePlan('')).toEqual({ source: 'none' });
    });

    it('returns `none` when every item is checked', () => {
      expect(readIssuePlan('- [x] Done\n- [X] Also done\n')).toEqual({ source: 'none' });
    });

    it('ignores an unclosed code fence holding a task list', () => {
      expect(readIssuePlan('```\n- [ ] inside an unclosed fence\n')).toEqual({ source: 'none' });
    });
  });
});
