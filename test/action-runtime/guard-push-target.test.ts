import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertPushTarget } from '../../core/git/guard-push-target.ts';
import { thrownInputError } from '../helpers/thrown-input-error.ts';

const PREFIX = 'cluster/42/';

function accepted(remote: string, branch: string, allowedPrefix = PREFIX): boolean {
  try {
    assertPushTarget({ remote, branch, allowedPrefix });
    return true;
  } catch {
    return false;
  }
}

function gitAcceptsBranch(name: string): boolean {
  return spawnSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' }).status === 0;
}

/** Characters that make ref names interesting: separators, reserved characters, controls and look-alikes. */
const refChar = fc.constantFrom(
  ...'ab09-_./@{}~^:?*[\\ '.split(''),
  '..',
  '.lock',
  '\u0000',
  '\u0007',
  '\u007f',
  '\n',
  '\u202e',
  'é',
);
const refText = fc.array(refChar, { maxLength: 12 }).map((parts) => parts.join(''));
/** Mostly valid names, so the comparison with git sees many accepted ones. */
const plausibleRefText = fc
  .array(fc.constantFrom(...'ab09-_./@'.split('')), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));

describe('assertPushTarget', () => {
  describe('with origin and a branch under the prefix', () => {
    it.each(['cluster/42/integration', 'cluster/42/tasks/api', 'cluster/42/retries/db-v2_1'])(
      'accepts %s',
      (branch) => {
        expect(() => assertPushTarget({ remote: 'origin', branch, allowedPrefix: PREFIX })).not.toThrow();
      },
    );
  });

  describe('with another remote', () => {
    it.each(['upstream', 'https://github.com/evil/repo.git', 'origin ', 'ORIGIN', ''])(
      'refuses `%s` and names the only allowed one',
      (remote) => {
        const error = thrownInputError(() =>
          assertPushTarget({ remote, branch: 'cluster/42/tasks/api', allowedPrefix: PREFIX }),
        );

        expect(error.message).toContain('refusing to push');
        expect(error.problems).toEqual([
          `remote \`${remote}\` is not allowed; the action pushes only to \`origin\``,
        ]);
      },
    );
  });

  describe('with a branch outside the prefix', () => {
    it.each([
      'main',
      'cluster/43/tasks/api',
      'cluster/42',
      'cluster/42/',
      'cluster/420/tasks/api',
      'refs/heads/main',
    ])('refuses %s', (branch) => {
      const error = thrownInputError(() =>
        assertPushTarget({ remote: 'origin', branch, allowedPrefix: PREFIX }),
      );

      expect(error.problems[0]).toBe(
        `branch \`${branch}\` is outside this run; only branches under \`cluster/42/\` may be pushed`,
      );
    });
  });

  describe('with a branch under the prefix that git would refuse or misread', () => {
    it.each([
      ['cluster/42/../../main', 'contains `..`; git refuses it'],
      ['cluster/42/tasks@{1}', 'contains `@{`; git reads it as a reflog expression'],
      ['cluster/42/-f', 'has a component starting with `-`; rename it'],
      [
        'cluster/42/a b',
        'contains a space, a control character or a non-ASCII character; use printable ASCII only',
      ],
      [
        'cluster/42/bell\u0007',
        'contains a space, a control character or a non-ASCII character; use printable ASCII only',
      ],
      ['cluster/42/x.lock', 'has a component ending with `.lock`; git refuses it'],
      ['cluster/42/.hidden', 'has a component starting with `.`; git refuses it'],
      ['cluster/42/a//b', 'has an empty path component (leading, trailing or double `/`); remove it'],
      ['cluster/42/a/', 'has an empty path component (leading, trailing or double `/`); remove it'],
      ['cluster/42/a~1', 'contains one of ~ ^ : ? * [ \\, which git reserves; remove it'],
      ['cluster/42/a:b', 'contains one of ~ ^ : ? * [ \\, which git reserves; remove it'],
      ['cluster/42/end.', 'ends with `.`; git refuses it'],
    ])('refuses %j: %s', (branch, problem) => {
      const error = thrownInputError(() =>
        assertPushTarget({ remote: 'origin', branch, allowedPrefix: PREFIX }),
      );

      expect(error.problems.some((line) => line.endsWith(problem))).toBe(true);
    });

    it('shows control characters escaped in the message', () => {
      const error = thrownInputError(() =>
        assertPushTarget({ remote: 'origin', branch: 'cluster/42/bell\u0007', allowedPrefix: PREFIX }),
      );

      expect(error.message).toContain('cluster/42/bell\\u{7}');
    });
  });

  describe('with a prefix that does not end with /', () => {
    it('refuses to guard with it', () => {
      const error = thrownInputError(() =>
        assertPushTarget({ remote: 'origin', branch: 'cluster/42/tasks/api', allowedPrefix: 'cluster/42' }),
      );

      expect(error.message).toContain('the push prefix `cluster/42` cannot guard pushes');
    });
  });

  describe('for any remote and branch', () => {
    it('lets nothing outside origin and the prefix through', () => {
      const branch = fc.oneof(
        refText,
        refText.map((suffix) => `${PREFIX}${suffix}`),
      );
      const remote = fc.oneof(fc.constant('origin'), fc.string({ maxLength: 8 }));
      fc.assert(
        fc.property(remote, branch, (remoteName, branchName) => {
          if (accepted(remoteName, branchName)) {
            expect(remoteName).toBe('origin');
            expect(branchName.startsWith(PREFIX)).toBe(true);
            expect(branchName.length).toBeGreaterThan(PREFIX.length);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('accepts only names git accepts as branches', () => {
      fc.assert(
        fc.property(
          fc.oneof(refText, plausibleRefText).map((suffix) => `${PREFIX}${suffix}`),
          (branchName) => {
            if (accepted('origin', branchName)) expect(gitAcceptsBranch(branchName)).toBe(true);
          },
        ),
        { numRuns: 120 },
      );
    });
  });
});
