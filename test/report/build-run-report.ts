import type { ConflictNote, RunReport, TaskOutcome } from '../../core/report/report-model.ts';

/** A task outcome with plausible defaults; tests override what they are about. */
export function taskOutcome(overrides: Partial<TaskOutcome> & Pick<TaskOutcome, 'id'>): TaskOutcome {
  return {
    title: `Work on ${overrides.id}`,
    dependsOn: [],
    state: 'integrated',
    branch: `cluster/42-${overrides.id}`,
    commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    files: [],
    conflicts: [],
    ...overrides,
  };
}

/** A run report around `tasks`, for issue #42 on `main`. */
export function runReport(tasks: TaskOutcome[], overrides: Partial<RunReport> = {}): RunReport {
  return {
    runId: 'run-42-1',
    title: 'Add user accounts',
    base: 'main',
    integrationBranch: 'cluster/42',
    integrationCommit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
    tasks,
    overlaps: [],
    ...overrides,
  };
}

/** Conflicting hunks as git leaves them in a file. */
export const CONFIG_EXCERPT = [
  'diff --cc src/config.ts',
  '@@@ -1,6 -1,6 +1,12 @@@',
  '  export const config = {',
  '++<<<<<<< HEAD',
  "+   databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost/app',",
  '++=======',
  "+   apiPrefix: '/api/v1',",
  '++>>>>>>> cluster/42-api',
  '  };',
].join('\n');

/** A conflict of `api` with the already-integrated `db` that the agent resolved. */
export const resolvedConflict: ConflictNote = {
  files: ['src/config.ts'],
  touchedBy: { 'src/config.ts': ['db'] },
  excerpt: CONFIG_EXCERPT,
  resolution: 'resolved',
};

/** A conflict of `auth` that nobody resolved. */
export const unresolvedConflict: ConflictNote = {
  files: ['src/routes.ts', 'src/middleware/session.ts'],
  touchedBy: { 'src/routes.ts': ['api', 'tests'] },
  excerpt: [
    'diff --cc src/routes.ts',
    '++<<<<<<< HEAD',
    "+ router.use('/users', usersRouter);",
    '++=======',
    '+ router.use(requireSession);',
    '++>>>>>>> cluster/42-auth',
  ].join('\n'),
  resolution: 'unresolved',
};

/** Output of a failing `npm test`, 120 lines long. */
export const FAILING_TEST_OUTPUT = [
  ...Array.from({ length: 117 }, (_, i) => ` ✓ test/case-${i}.test.ts (3 tests) ${i + 2}ms`),
  ' FAIL  test/users.test.ts > POST /users > rejects a duplicate email',
  'AssertionError: expected 201 to be 409',
  ' Test Files  1 failed | 117 passed (118)',
].join('\n');

/**
 * A realistic six-task run for issue #42: `db` integrated; `api` resolved a conflict with `db`; `auth`
 * left an unresolved conflict; `ui` failed, so `docs` was skipped; `tests` integrated cleanly but
 * overlaps `api` on `src/routes.ts`; verify failed.
 */
export function sixTaskRun(): RunReport {
  return runReport(
    [
      taskOutcome({
        id: 'db',
        title: 'Add the users table',
        files: ['db/migrations/003_users.sql', 'src/db/schema.ts', 'src/config.ts'],
        costUsd: 0.3125,
        turns: 12,
        durationMs: 192_000,
        summary: 'Added a users table with a unique email index.',
      }),
      taskOutcome({
        id: 'api',
        title: 'Add /users REST endpoints',
        dependsOn: ['db'],
        state: 'resolved',
        files: [
          'src/routes.ts',
          'src/users/handlers.ts',
          'src/users/validate.ts',
          'src/config.ts',
          'src/app.ts',
        ],
        conflicts: [resolvedConflict],
        costUsd: 0.58,
        turns: 21,
        durationMs: 65_000,
        summary: 'GET/POST /users with validation.',
      }),
      taskOutcome({
        id: 'auth',
        title: 'Add session middleware',
        dependsOn: ['db'],
        state: 'conflicted',
        files: ['src/routes.ts', 'src/middleware/session.ts'],
        conflicts: [unresolvedConflict],
        costUsd: 0.41,
        turns: 17,
        durationMs: 250_000,
        reason: 'the agent could not reconcile the session middleware with the new routes',
      }),
      taskOutcome({
        id: 'ui',
        title: 'Build the sign-up form',
        dependsOn: ['api'],
        state: 'failed',
        commit: undefined,
        costUsd: 1.2,
        turns: 30,
        durationMs: 600_000,
        reason: 'the agent stopped after its 30-turn limit',
      }),
      taskOutcome({
        id: 'docs',
        title: 'Document the users API',
        dependsOn: ['ui'],
        state: 'skipped',
        commit: undefined,
      }),
      taskOutcome({
        id: 'tests',
        title: 'Test the users endpoints',
        dependsOn: ['api'],
        files: ['test/users.test.ts', 'src/routes.ts'],
        costUsd: 0.22,
        turns: 9,
        durationMs: 48_000,
      }),
    ],
    {
      overlaps: [{ file: 'src/routes.ts', tasks: ['api', 'tests'] }],
      verify: {
        command: 'npm test',
        passed: false,
        exitCode: 1,
        outputTail: FAILING_TEST_OUTPUT,
        durationMs: 31_000,
      },
      footer: 'Closes #42',
    },
  );
}
