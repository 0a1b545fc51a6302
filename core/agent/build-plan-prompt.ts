import { TASK_ID_MAX_LENGTH } from '../plan/plan-schema.ts';
import { formatIssueData } from './format-issue-data.ts';

/** The heading of the feedback section; the stub agent looks for this exact word. */
export const PLAN_FEEDBACK_MARKER = 'PLAN-FEEDBACK';

/** What {@link buildPlanPrompt} needs. */
export interface PlanPromptInput {
  issueTitle: string;
  issueBody: string;
  /** Most tasks the plan may hold. */
  maxTasks: number;
  /** Problems of the previous attempt's plan; adds a feedback section asking for a corrected plan. */
  feedback?: string[];
}

const EXAMPLE_PLAN = [
  '```cluster',
  'tasks:',
  '  - id: users-table',
  '    title: Add the users table',
  '    prompt: |',
  '      Add a `users` table to db/schema.sql with the columns id, email and created_at,',
  '      and a migration in db/migrations/. Run `npm test` to check.',
  '    depends_on: []',
  '    files: ["db/**"]',
  '  - id: users-endpoint',
  '    title: Add the GET /users endpoint',
  '    prompt: |',
  '      Add GET /users in src/api/users.ts returning every row of the users table as JSON,',
  '      with a test in test/api/users.test.ts.',
  '    depends_on: [users-table]',
  '    files: ["src/api/users.ts", "test/api/**"]',
  '```',
].join('\n');

/**
 * The prompt that asks an agent to split an issue into a plan: the exact output format (one ```cluster
 * YAML block, or one JSON object), the rules a plan must pass, and the issue as data. With `feedback`,
 * a final `PLAN-FEEDBACK` section lists what was wrong with the previous plan.
 */
export function buildPlanPrompt(input: PlanPromptInput): string {
  const sections = [
    '# Plan the work for a GitHub issue',
    'Split the issue below into tasks for coding agents. Each task runs in its own git worktree, at the same time as every task it does not depend on; a task that depends on others starts from their finished work. At the end every task branch is merged into one branch for one pull request.',
    'You may read the repository to plan, but do not change any file. Your only output is the plan.',
    `## Output format\n\nPrint the plan on stdout as one fenced block tagged \`cluster\` holding YAML, like this:\n\n${EXAMPLE_PLAN}\n\nInstead of the block you may print one JSON object with the same fields: {"tasks": [{"id": "…", "title": "…", "prompt": "…", "depends_on": [], "files": []}]}. Print only one plan.`,
    [
      '## Rules',
      '',
      `- At most ${input.maxTasks} task${input.maxTasks === 1 ? '' : 's'}. Fewer is better when the work is small; one task is fine.`,
      `- \`id\`: unique; lowercase letters, digits and single dashes (like \`api-client\`), at most ${TASK_ID_MAX_LENGTH} characters.`,
      '- `title`: one line.',
      '- `prompt`: complete instructions for an agent that sees only this prompt, the repository and the issue: what to change, where, and how to check it.',
      '- `depends_on`: ids of the tasks whose work this task needs, and nothing else; no cycles. Make tasks independent wherever you can: independent tasks run in parallel.',
      '- `files`: glob patterns (like `src/api/**` or `README.md`) of the files the task will change. Tasks that can run at the same time should not change the same files; when they must, make one depend on the other.',
      '- When the issue itself proposes a split, follow it unless it breaks these rules.',
    ].join('\n'),
    `## The issue\n\n${formatIssueData(input.issueTitle, input.issueBody)}`,
  ];
  if (input.feedback !== undefined && input.feedback.length > 0) {
    sections.push(
      `## ${PLAN_FEEDBACK_MARKER}: your previous plan was refused\n\nThese problems were found in the plan you printed:\n${input.feedback.map((problem) => `- ${problem}`).join('\n')}\n\nPrint the whole corrected plan again, in the same format.`,
    );
  }
  return `${sections.join('\n\n')}\n`;
}
