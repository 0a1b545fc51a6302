/**
 * The answer to `/cluster help` and to a command the App did not understand (`problem` first, then the usage).
 * `word` is the configured command word.
 */
export function renderUsage(word: string, problem?: string): string {
  const command = (rest = '') => `\`/${word}${rest}\``;
  const lines = [
    ...(problem === undefined ? [] : [problem, '']),
    '**claude-cluster commands** (on an issue, or on a pull request to work on its branch)',
    '',
    '| Command | What it does |',
    '| --- | --- |',
    `| ${command(' [instructions]')} | Plan this issue into tasks and run them; any text after the command is added to every task's instructions. On a pull request the result is a pull request into its branch. |`,
    `| ${command(' plan [instructions]')} | Publish the plan only, without starting tasks. |`,
    `| ${command(' approve')} | Start the planned run (when the configuration sets \`approval: plan\`). |`,
    `| ${command(' status')} | Show the run's status again. |`,
    `| ${command(' cancel')} | Cancel the run's workflow runs and mark the run cancelled. |`,
    `| ${command(' retry <task-id>')} or ${command(' retry failed')} | Run a task again, or every failed task, on the current integration branch. |`,
    `| ${command(' help')} | Show this list. |`,
    '',
    'Commands are read from the first line of a comment. Only people with write access to this repository, and bots listed in `allowed_bots` of `.github/claude-cluster.yml`, can use them.',
  ];
  return lines.join('\n');
}
