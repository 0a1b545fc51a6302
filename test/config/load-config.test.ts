import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config/config-schema.ts';
import { loadConfigFile, parseConfig } from '../../core/config/load-config.ts';
import { EnvironmentError, InputError } from '../../core/errors/errors.ts';

const fixture = (name: string) => readFile(new URL(`../fixtures/config/${name}`, import.meta.url), 'utf8');

function problemsOf(text: string, sourceName?: string): string[] {
  try {
    parseConfig(text, sourceName);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig', () => {
  describe('with no settings', () => {
    it.each([
      ['an empty file', ''],
      ['only comments', '# nothing set\n# max_parallel: 2\n'],
      ['an explicit empty document', '---\n'],
    ])('returns the defaults for %s', (_name, text) => {
      expect(parseConfig(text)).toEqual(defaultConfig());
    });

    it('returns the documented defaults', async () => {
      expect(parseConfig(await fixture('only-comments.yml'))).toEqual({
        label: 'cluster',
        command: 'cluster',
        max_parallel: 4,
        max_tasks: 20,
        budget: { per_task_usd: 5, per_run_usd: 50 },
        max_turns: 40,
        allowed_tools: ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash'],
        task_timeout_minutes: 30,
        on_conflict: 'resolve',
        branch_prefix: 'cluster',
        draft: true,
        approval: 'none',
        allowed_bots: [],
        allow_forks: false,
        workflow: 'claude-cluster.yml',
      });
    });
  });

  describe('with every setting given', () => {
    it('returns them as written', async () => {
      expect(parseConfig(await fixture('full.yml'))).toEqual({
        label: 'agents',
        command: 'swarm',
        max_parallel: 8,
        max_tasks: 50,
        budget: { per_task_usd: 2.5, per_run_usd: 20 },
        model: 'claude-sonnet-4-5',
        max_turns: 80,
        allowed_tools: ['Read', 'Edit'],
        task_timeout_minutes: 45,
        on_conflict: 'skip',
        verify: 'npm test',
        branch_prefix: 'bots/cluster',
        draft: false,
        approval: 'plan',
        allowed_bots: ['renovate[bot]'],
        allow_forks: true,
        workflow: 'agents.yml',
      });
    });

    it('fills in the budget field left out', () => {
      expect(parseConfig('budget:\n  per_run_usd: 10\n').budget).toEqual({
        per_task_usd: 5,
        per_run_usd: 10,
      });
    });
  });

  describe('with mistakes', () => {
    it('names each key, its line and the fix, in line order', async () => {
      expect(problemsOf(await fixture('mistakes.yml'))).toEqual([
        '.github/claude-cluster.yml line 3: `max_paralel` is not a known key; did you mean `max_parallel`?',
        '.github/claude-cluster.yml line 5: `budget.per_task_usd` must be greater than 0 (got `-1`)',
        '.github/claude-cluster.yml line 6: `on_conflict` must be one of resolve, retry, skip (got `merge`)',
        '.github/claude-cluster.yml line 7: `allowed_tools` must be a list (got `Bash`)',
        '.github/claude-cluster.yml line 8: `draft` must be true or false (got `yes`)',
      ]);
    });

    it('uses the source name it is given', () => {
      expect(problemsOf('max_turns: 0\n', 'config.yml')).toEqual([
        'config.yml line 1: `max_turns` must be at least 1 (got `0`)',
      ]);
    });

    it('lists the known keys when an unknown key is not a typo', () => {
      expect(problemsOf('label: x\nworkers: 3\n')).toEqual([
        '.github/claude-cluster.yml line 2: `workers` is not a known key; remove it (known keys: label, command, max_parallel, max_tasks, budget, model, max_turns, allowed_tools, task_timeout_minutes, on_conflict, verify, branch_prefix, draft, approval, allowed_bots, allow_forks, workflow)',
      ]);
    });

    it('suggests the nested key a typo was meant to be', () => {
      expect(problemsOf('budget:\n  per_tsk_usd: 3\n')).toEqual([
        '.github/claude-cluster.yml line 2: `budget.per_tsk_usd` is not a known key; did you mean `per_task_usd`?',
      ]);
    });

    it('points at the list item that is wrong', () => {
      expect(problemsOf('allowed_tools:\n  - Read\n  - 42\n')).toEqual([
        '.github/claude-cluster.yml line 3: `allowed_tools[1]` must be a string (got `42`); put it in quotes to make it text',
      ]);
    });

    it('explains number limits', () => {
      expect(problemsOf('max_parallel: 2.5\nmax_tasks: 300\ntask_timeout_minutes: 0\n')).toEqual([
        '.github/claude-cluster.yml line 1: `max_parallel` must be a whole number (got `2.5`)',
        '.github/claude-cluster.yml line 2: `max_tasks` must be at most 256 (got `300`)',
        '.github/claude-cluster.yml line 3: `task_timeout_minutes` must be greater than 0 (got `0`)',
      ]);
    });

    it('explains the command and branch prefix formats', () => {
      expect(problemsOf('command: /Cluster\nbranch_prefix: ../evil\nlabel: ""\n')).toEqual([
        '.github/claude-cluster.yml line 1: `command` must be one lowercase word: a letter, then letters, digits or `-` (got `/Cluster`)',
        '.github/claude-cluster.yml line 2: `branch_prefix` must be a branch name prefix: `/`-separated parts of letters, digits, `.`, `_` and `-`, none starting with `.` or `-`, and no `..` (got `../evil`)',
        '.github/claude-cluster.yml line 3: `label` must not be empty',
      ]);
    });

    it('refuses a file that is not a mapping', () => {
      expect(problemsOf('# settings\n- max_parallel: 2\n')).toEqual([
        '.github/claude-cluster.yml line 2: the configuration must be a mapping (got a list)',
      ]);
    });

    it('throws one InputError naming the file', () => {
      expect(() => parseConfig('max_paralel: 3\n')).toThrow(
        '.github/claude-cluster.yml is invalid\n  - .github/claude-cluster.yml line 1: `max_paralel` is not a known key; did you mean `max_parallel`?',
      );
    });
  });

  describe('with YAML syntax errors', () => {
    it('gives the line and column of each', async () => {
      expect(problemsOf(await fixture('syntax-error.yml'))).toEqual([
        '.github/claude-cluster.yml line 4, column 1: All mapping items must start at the same column',
        '.github/claude-cluster.yml line 6, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ]);
    });

    it('refuses a key given twice', () => {
      expect(problemsOf('max_parallel: 2\nmax_parallel: 3\n')).toEqual([
        '.github/claude-cluster.yml line 2, column 1: the key `max_parallel` appears twice in the same mapping; keep only one',
      ]);
    });

    it('refuses an oversize file', () => {
      expect(problemsOf(`# ${'x'.repeat(70_000)}\n`)).toEqual([
        '.github/claude-cluster.yml is 69 KiB, more than the 64 KiB limit; keep only the settings that differ from the defaults',
      ]);
    });
  });
});

describe('loadConfigFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'claude-cluster-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the defaults when the file does not exist', async () => {
    expect(await loadConfigFile(join(dir, 'missing.yml'))).toEqual(defaultConfig());
  });

  it('parses the file and names it in problems', async () => {
    const path = join(dir, 'claude-cluster.yml');
    await writeFile(path, 'max_parallel: 2\n');
    expect((await loadConfigFile(path)).max_parallel).toBe(2);
    await writeFile(path, 'max_parallel: two\n');
    await expect(loadConfigFile(path, '.github/claude-cluster.yml')).rejects.toThrow(
      '.github/claude-cluster.yml line 1: `max_parallel` must be a number (got `two`)',
    );
  });

  it('throws an EnvironmentError when the path cannot be read', async () => {
    const path = join(dir, 'a-directory.yml');
    await mkdir(path);
    const failure = loadConfigFile(path);
    await expect(failure).rejects.toBeInstanceOf(EnvironmentError);
    await expect(failure).rejects.toThrow(
      `cannot read the configuration ${path} (EISDIR); make it a readable file or remove it to use the defaults`,
    );
  });
});
