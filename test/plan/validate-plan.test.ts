import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors/errors.ts';
import { assertValidPlan, MAX_REPORTED_PROBLEMS, validatePlan } from '../../core/plan/validate-plan.ts';

/** A valid raw task with `id`, changed by `overrides`. */
function task(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, title: `Title of ${id}`, prompt: `Do ${id}.`, ...overrides };
}

/** The problems validatePlan reports for `raw`; fails the test when the plan is valid. */
function problemsOf(raw: unknown, maxTasks?: number): string[] {
  const result = validatePlan(raw, maxTasks === undefined ? {} : { maxTasks });
  if (result.ok) throw new Error('expected the plan to be refused');
  return result.problems;
}

describe('validatePlan', () => {
  describe('with a valid plan', () => {
    it('returns the plan with defaults for depends_on and files', () => {
      const result = validatePlan({ tasks: [task('db'), task('api', { depends_on: ['db'], estimate: 2 })] });
      expect(result).toEqual({
        ok: true,
        plan: {
          tasks: [
            { id: 'db', title: 'Title of db', prompt: 'Do db.', depends_on: [], files: [] },
            {
              id: 'api',
              title: 'Title of api',
              prompt: 'Do api.',
              depends_on: ['db'],
              files: [],
              estimate: 2,
            },
          ],
        },
      });
    });
  });

  describe('with schema problems', () => {
    it('names the task by position and id, the key, the expected type and what it got', () => {
      const raw = { tasks: [task('db'), task('web'), task('api', { prompt: 42 })] };
      expect(problemsOf(raw)).toEqual([
        'task #3 (`api`): `prompt` must be a string (got `42`); put it in quotes to make it text',
      ]);
    });

    it('says which required key is missing', () => {
      expect(problemsOf({ tasks: [{ id: 'api', title: 'Api' }] })).toEqual([
        'task #1 (`api`): `prompt` is missing; add it (a string)',
      ]);
    });

    it('points into lists with an index', () => {
      expect(problemsOf({ tasks: [task('db'), task('api', { depends_on: ['db', 7] })] })).toEqual([
        'task #2 (`api`): `depends_on[1]` must be a string (got `7`); put it in quotes to make it text',
      ]);
    });

    it('refuses a non-positive estimate', () => {
      expect(problemsOf({ tasks: [task('api', { estimate: 0 })] })).toEqual([
        'task #1 (`api`): `estimate` must be greater than 0 (got `0`)',
      ]);
    });

    it('labels a task without a string id by position only', () => {
      expect(problemsOf({ tasks: [task('ok'), { id: 3, title: 'T', prompt: 'P' }] })).toEqual([
        'task #2: `id` must be a string (got `3`); put it in quotes to make it text',
      ]);
    });

    it('refuses a task that is not a mapping', () => {
      expect(problemsOf({ tasks: [task('ok'), 'write the docs'] })).toEqual([
        'task #2 must be a mapping with `id`, `title` and `prompt` (got `write the docs`)',
      ]);
    });
  });

  describe('with unknown keys', () => {
    it('suggests the key a typo was meant to be', () => {
      expect(problemsOf({ tasks: [task('api', { dependson: [] })] })).toEqual([
        'task #1 (`api`): `dependson` is not a known key; did you mean `depends_on`?',
      ]);
    });

    it('lists the known keys when no key is close', () => {
      expect(problemsOf({ tasks: [task('api', { owner: 'me' })] })).toEqual([
        'task #1 (`api`): `owner` is not a known key; remove it (known keys: id, title, prompt, depends_on, files, estimate)',
      ]);
    });

    it('refuses unknown keys beside `tasks`', () => {
      expect(problemsOf({ tasks: [task('api')], task: [], version: 2 })).toEqual([
        '`task` is not a known key of the plan; did you mean `tasks`?',
        '`version` is not a known key of the plan; the plan holds only `tasks`',
      ]);
    });
  });

  describe('with an invalid id', () => {
    it('explains what a valid id is and suggests its slug', () => {
      expect(problemsOf({ tasks: [task('API Server')] })).toEqual([
        'task #1 (`API Server`): id `API Server` is not a valid id; use lowercase letters, digits and single dashes, at most 40 characters, e.g. `api-server`',
      ]);
    });

    it('refuses an empty id and suggests one made from the title', () => {
      expect(problemsOf({ tasks: [task('', { title: 'Write the docs' })] })).toEqual([
        'task #1: `id` is empty; use lowercase letters, digits and single dashes, at most 40 characters, e.g. `write-the-docs`',
      ]);
    });

    it('refuses an id longer than 40 characters and suggests a shorter slug', () => {
      const id = 'add-the-users-table-with-email-and-created-at-columns';
      const [problem] = problemsOf({ tasks: [task(id)] });
      expect(problem).toContain('is not a valid id');
      expect(problem).toMatch(/e\.g\. `add-the-users-table-with-email-and`$/);
    });
  });

  describe('with duplicate ids', () => {
    it('names every position that shares the id', () => {
      const raw = { tasks: [task('api'), task('db'), task('api'), task('api')] };
      expect(problemsOf(raw)).toEqual(['tasks #1, #3, #4 all have the id `api`; give each task its own id']);
    });

    it('says "both" for two tasks', () => {
      expect(problemsOf({ tasks: [task('api'), task('api')] })).toEqual([
        'tasks #1 and #2 both have the id `api`; give each task its own id',
      ]);
    });
  });

  describe('with dependency problems', () => {
    it('names an unknown dependency and the fix', () => {
      expect(problemsOf({ tasks: [task('api', { depends_on: ['auth'] })] })).toEqual([
        'task #1 (`api`) depends on `auth`, which is not in the plan; add that task or remove the dependency',
      ]);
    });

    it('suggests the id an unknown dependency was probably meant to be', () => {
      expect(problemsOf({ tasks: [task('db-schema'), task('api', { depends_on: ['db-shema'] })] })).toEqual([
        'task #2 (`api`) depends on `db-shema`, which is not in the plan (did you mean `db-schema`?); add that task or remove the dependency',
      ]);
    });

    it('refuses a task that depends on itself', () => {
      expect(problemsOf({ tasks: [task('api', { depends_on: ['api'] })] })).toEqual([
        'task #1 (`api`) depends on itself; remove `api` from its `depends_on`',
      ]);
    });

    it('refuses a dependency listed twice', () => {
      expect(problemsOf({ tasks: [task('db'), task('api', { depends_on: ['db', 'db'] })] })).toEqual([
        'task #2 (`api`) lists `db` more than once in `depends_on`; list each dependency once',
      ]);
    });
  });

  describe('with a cycle', () => {
    it('names the cycle path a → b → c → a', () => {
      const raw = {
        tasks: [
          task('a', { depends_on: ['b'] }),
          task('b', { depends_on: ['c'] }),
          task('c', { depends_on: ['a'] }),
        ],
      };
      expect(problemsOf(raw)).toEqual([
        'dependency cycle `a → b → c → a` (each task depends on the next); remove one of these dependencies so the tasks can run in order',
      ]);
    });

    it('reports each separate cycle once, in plan order', () => {
      const raw = {
        tasks: [
          task('x', { depends_on: ['y'] }),
          task('a', { depends_on: ['b'] }),
          task('b', { depends_on: ['a'] }),
          task('y', { depends_on: ['x'] }),
        ],
      };
      const cycles = problemsOf(raw).map((problem) => /`([^`]+)`/.exec(problem)?.[1]);
      expect(cycles).toEqual(['x → y → x', 'a → b → a']);
    });

    it('reports a tangle of overlapping cycles once, by its shortest cycle', () => {
      const raw = {
        tasks: [
          task('a', { depends_on: ['b', 'c'] }),
          task('b', { depends_on: ['c'] }),
          task('c', { depends_on: ['a', 'b'] }),
        ],
      };
      const problems = problemsOf(raw);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('`a → c → a`');
    });

    it('handles a long chain closed into one cycle without exhausting the stack', () => {
      const count = 5_000;
      const tasks = Array.from({ length: count }, (_, i) =>
        task(`t${i}`, { depends_on: [`t${(i + 1) % count}`] }),
      );
      const problems = problemsOf({ tasks }, 256);
      expect(problems).toEqual([
        `the plan has ${count} tasks, more than the limit of 256; merge related tasks (256 is GitHub's matrix limit)`,
        `dependency cycle \`t0 → t1 → t2 → t3 → t4 → t5 → t6 → t7 → t8 → t9 → t10 → … ${count - 12} more … → t${count - 1} → t0\` (each task depends on the next); remove one of these dependencies so the tasks can run in order`,
      ]);
    });
  });

  describe('with empty text', () => {
    it('refuses an empty or whitespace-only prompt', () => {
      expect(problemsOf({ tasks: [task('api', { prompt: ' \n\t ' }), task('db', { prompt: '' })] })).toEqual([
        'task #1 (`api`): `prompt` is empty; write the instruction the agent should follow',
        'task #2 (`db`): `prompt` is empty; write the instruction the agent should follow',
      ]);
    });

    it('refuses an empty or whitespace-only title, once each', () => {
      expect(problemsOf({ tasks: [task('api', { title: '' }), task('db', { title: '   ' })] })).toEqual([
        'task #1 (`api`): `title` is empty; give the task a one-line title',
        'task #2 (`db`): `title` is empty; give the task a one-line title',
      ]);
    });

    it('refuses a title of several lines', () => {
      expect(problemsOf({ tasks: [task('api', { title: 'Add\nthe API' })] })).toEqual([
        'task #1 (`api`): `title` must be one line; move the details into `prompt`',
      ]);
    });
  });

  describe('with the wrong number of tasks', () => {
    it('refuses a plan with no tasks', () => {
      expect(problemsOf({ tasks: [] })).toEqual([
        'the plan has no tasks; add at least one task under `tasks`',
      ]);
    });

    it('refuses more tasks than maxTasks and says how to raise it', () => {
      const tasks = Array.from({ length: 21 }, (_, i) => task(`t${i}`));
      expect(problemsOf({ tasks })).toEqual([
        'the plan has 21 tasks, more than the limit of 20; merge related tasks or raise `max_tasks` in .github/claude-cluster.yml (at most 256)',
      ]);
      expect(validatePlan({ tasks }, { maxTasks: 21 }).ok).toBe(true);
    });

    it('clamps maxTasks above 256 to GitHub’s matrix limit', () => {
      const tasks = Array.from({ length: 257 }, (_, i) => task(`t${i}`));
      expect(problemsOf({ tasks }, 10_000)).toEqual([
        "the plan has 257 tasks, more than the limit of 256; merge related tasks (256 is GitHub's matrix limit)",
      ]);
      expect(validatePlan({ tasks: tasks.slice(0, 256) }, { maxTasks: 10_000 }).ok).toBe(true);
    });
  });

  describe('with a value that is not a plan', () => {
    it.each([
      [null, 'the plan must be a mapping with a `tasks` list (got `null`)'],
      ['tasks', 'the plan must be a mapping with a `tasks` list (got `tasks`)'],
      [
        [task('a')],
        'the plan must be a mapping with a `tasks` list (got a list); put the list of tasks under `tasks:`',
      ],
      [{}, 'the plan has no `tasks` list; add `tasks:` with one entry per task'],
      [{ tasks: { a: 1 } }, '`tasks` must be a list (got a mapping)'],
    ])('explains what a plan looks like for %j', (raw, message) => {
      expect(problemsOf(raw)).toEqual([message]);
    });
  });

  describe('with many problems', () => {
    it('reports them all at once, per task in plan order, then duplicates, then cycles', () => {
      const raw = {
        tasks: [
          task('a', { depends_on: ['b'] }),
          task('b', { depends_on: ['a', 'ghost'], prompt: '' }),
          task('Bad Id'),
          task('a'),
        ],
      };
      expect(problemsOf(raw)).toEqual([
        'task #2 (`b`): `prompt` is empty; write the instruction the agent should follow',
        'task #2 (`b`) depends on `ghost`, which is not in the plan; add that task or remove the dependency',
        'task #3 (`Bad Id`): id `Bad Id` is not a valid id; use lowercase letters, digits and single dashes, at most 40 characters, e.g. `bad-id`',
        'tasks #1 and #4 both have the id `a`; give each task its own id',
        'dependency cycle `a → b → a` (each task depends on the next); remove one of these dependencies so the tasks can run in order',
      ]);
    });

    it('shows the first hundred and counts the rest', () => {
      const tasks = Array.from({ length: 150 }, () => ({}));
      const problems = problemsOf({ tasks }, 256);
      expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
      expect(problems.at(-1)).toBe('… and 350 more problems not shown');
    });
  });
});

describe('assertValidPlan', () => {
  it('returns a valid plan', () => {
    expect(assertValidPlan({ tasks: [task('api')] }).tasks.map((t) => t.id)).toEqual(['api']);
  });

  it('throws an InputError that lists every problem', () => {
    const error = (() => {
      try {
        assertValidPlan({ tasks: [task('api', { prompt: '' })] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      'task #1 (`api`): `prompt` is empty; write the instruction the agent should follow',
    ]);
    expect((error as InputError).message).toBe(
      'the plan is invalid\n  - task #1 (`api`): `prompt` is empty; write the instruction the agent should follow',
    );
  });
});
