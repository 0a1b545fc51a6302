import { Command, CommanderError, Option } from 'commander';
import type { CliIo } from './cli-io.ts';
import { doctorCommand } from './commands/doctor-command.ts';
import { initCommand } from './commands/init-command.ts';
import { planCommand } from './commands/plan-command.ts';
import { runCommand } from './commands/run-command.ts';
import { validateCommand } from './commands/validate-command.ts';
import { describeCliError } from './describe-cli-error.ts';
import { readPackageManifest } from './read-package-manifest.ts';

/**
 * Runs the `claude-cluster` command line with `argv` (without `node` and the script) and returns the exit code.
 * Errors become messages here and nowhere else.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('claude-cluster')
    .description(
      'Turn one issue into a team of agents: dependency-aware subtasks, one integration branch, one PR body.',
    )
    .version(readPackageManifest().version, '-V, --version', 'print the version of claude-cluster')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError();

  const issueOption = () => new Option('--issue <file|->', 'Markdown issue to work on (- reads stdin)');
  program
    .command('run')
    .description('run the whole job on a local git repository and print the pull-request body')
    .addOption(issueOption())
    .option('--repo <dir>', 'the git repository', '.')
    .option('--base <branch>', 'branch to start from (default: the current branch)')
    .option('--parallel <n>', 'most tasks at once (config max_parallel)')
    .option('--agent <command>', 'run this command as the agent instead of Claude Code')
    .option('--on-conflict <mode>', 'resolve | retry | skip (config on_conflict)')
    .option('--verify <command>', 'command run on the integration branch at the end (config verify)')
    .option('--task-timeout <seconds>', 'stop a task after this many seconds (config task_timeout_minutes)')
    .option('--run-id <id>', 'name of the run, part of every branch it creates')
    .option('--config <file>', 'configuration file (default: .github/claude-cluster.yml of the repo)')
    .option('--out <file>', 'also write the pull-request body to this file')
    .option('--json', 'print one JSON report instead of the Markdown body')
    .action(async (options: Record<string, unknown>) => {
      exitCode = await runCommand(options, io);
    });

  program
    .command('plan')
    .description('validate the issue’s plan (or have the agent write one) and print the task table and graph')
    .addOption(issueOption())
    .option('--repo <dir>', 'the git repository', '.')
    .option('--agent <command>', 'plan with this command instead of Claude Code when the issue has no plan')
    .option('--config <file>', 'configuration file (default: .github/claude-cluster.yml of the repo)')
    .option('--json', 'print the plan as JSON')
    .action(async (options: Record<string, unknown>) => {
      exitCode = await planCommand(options, io);
    });

  program
    .command('validate')
    .description('check the repository configuration and print the effective settings')
    .option('--config <file>', 'configuration file (default: .github/claude-cluster.yml of the repo)')
    .option('--repo <dir>', 'the git repository', '.')
    .action(async (options: Record<string, unknown>) => {
      exitCode = await validateCommand(options, io);
    });

  program
    .command('doctor')
    .description(
      'check what a first run needs (Node, git, the agent, the repository, configuration, workflow)',
    )
    .option('--repo <dir>', 'the git repository', '.')
    .option('--base <branch>', 'branch runs start from (default: the current branch)')
    .option('--agent <command>', 'check this agent command instead of Claude Code')
    .option('--config <file>', 'configuration file (default: .github/claude-cluster.yml of the repo)')
    .option('--json', 'print the checks as JSON')
    .action(async (options: Record<string, unknown>) => {
      exitCode = await doctorCommand(options, io);
    });

  program
    .command('init')
    .description(
      'set up a repository: write the workflow and a commented .github/claude-cluster.yml, then say what to do next',
    )
    .option('--repo <dir>', 'the repository to set up', '.')
    .option(
      '--action <owner/repo@ref>',
      'the action the workflow uses (default: this package’s repository and version)',
    )
    .option('--zero-hosting', 'also write the workflow that runs the App’s handlers in Actions (no server)')
    .option('--force', 'overwrite files that already exist')
    .action(async (options: Record<string, unknown>) => {
      exitCode = await initCommand(options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; a usage error has already been printed with the help.
      return error.exitCode === 0 ? 0 : 2;
    }
    const failure = describeCliError(error);
    io.stderr.write(`${failure.message}\n`);
    return failure.exitCode;
  }
}
