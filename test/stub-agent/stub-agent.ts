#!/usr/bin/env node
/**
 * A deterministic agent for tests and the demo. It follows the agent contract (prompt on stdin, CLUSTER_MODE in the
 * environment, exit 0 on success) and edits files as directives in its prompt say, so runs are real git work.
 *
 * Directives, one per line, starting at column 0 (all other lines are ignored):
 *   @write <path> = <text>          write the file with text + "\n" (`\n` in text is a newline)
 *   @append <path> = <text>         append text + "\n"
 *   @replace <path> line <N> = <t>  replace line N (1-based)
 *   @delete <path>
 *   @sleep <seconds>                wait
 *   @child-sleep <seconds>          spawn a `sleep` child process and wait for it (process-group tests)
 *   @print <text>                   print to stdout
 *   @fail <message>                 exit 1 after the edits so far, message on stderr
 *   @cost <usd>                     report this cost in the final cluster_result line
 *   @wait-for <path>                write <path>.waiting, then wait until <path> exists (orders concurrent tests)
 *   @fail-unless <path>             exit 1 unless <path> exists (a task that succeeds only when retried later)
 * Plan mode prints the first ```stub-plan block of the prompt inside a ```cluster fence (the ```stub-plan-retry block
 * instead when the prompt carries PLAN-FEEDBACK). Resolve mode replaces every conflict region in the unmerged files with
 * ours then theirs; `@resolve-fail` in the prompt makes it exit 1 instead.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const prompt = readFileSync(0, 'utf8');
const mode = process.env.CLUSTER_MODE ?? 'task';

const reportedCost = Number(/^@cost\s+([0-9.]+)\s*$/m.exec(prompt)?.[1] ?? 0);

function finish(summary: string, code = 0): never {
  process.stdout.write(
    `${JSON.stringify({ cluster_result: { summary, cost_usd: reportedCost, turns: 1 } })}\n`,
  );
  process.exit(code);
}

function fencedBlock(info: string): string | undefined {
  const match = new RegExp(`^\`\`\`${info}[ \\t]*\\n([\\s\\S]*?)^\`\`\`[ \\t]*$`, 'm').exec(prompt);
  return match?.[1];
}

function expandNewlines(text: string): string {
  return text.replace(/\\n/g, '\n');
}

function target(path: string): string {
  const full = resolve(process.cwd(), path.trim());
  mkdirSync(dirname(full), { recursive: true });
  return full;
}

async function runTask(): Promise<void> {
  let edits = 0;
  for (const line of prompt.split('\n')) {
    const directive = /^@([a-z-]+)(?:\s+(.*))?$/.exec(line);
    if (!directive) continue;
    const [, name, rest = ''] = directive;
    const assignment = /^(.+?)\s+=\s?(.*)$/.exec(rest);
    switch (name) {
      case 'write':
        if (assignment) writeFileSync(target(assignment[1]!), `${expandNewlines(assignment[2]!)}\n`);
        edits++;
        break;
      case 'append':
        if (assignment) appendFileSync(target(assignment[1]!), `${expandNewlines(assignment[2]!)}\n`);
        edits++;
        break;
      case 'replace': {
        const replace = /^(.+?)\s+line\s+(\d+)\s+=\s?(.*)$/.exec(rest);
        if (!replace) break;
        const file = target(replace[1]!);
        const lines = readFileSync(file, 'utf8').split('\n');
        lines[Number(replace[2]) - 1] = expandNewlines(replace[3]!);
        writeFileSync(file, lines.join('\n'));
        edits++;
        break;
      }
      case 'delete':
        rmSync(target(rest), { force: true });
        edits++;
        break;
      case 'sleep':
        await new Promise((done) => setTimeout(done, Number(rest) * 1000));
        break;
      case 'child-sleep': {
        const child = spawn('sleep', [rest.trim()], { stdio: 'ignore' });
        process.stdout.write(`child-pid ${child.pid}\n`);
        await new Promise((done) => child.on('exit', done));
        break;
      }
      case 'wait-for': {
        const signal = rest.trim();
        writeFileSync(`${signal}.waiting`, '');
        const deadline = Date.now() + 120_000;
        while (!existsSync(signal)) {
          if (Date.now() > deadline) finish(`gave up waiting for ${signal}`, 1);
          await new Promise((done) => setTimeout(done, 50));
        }
        break;
      }
      case 'fail-unless':
        if (!existsSync(rest.trim())) {
          process.stderr.write(`${rest.trim()} is not there yet\n`);
          finish(`failed after ${edits} edit(s)`, 1);
        }
        break;
      case 'print':
        process.stdout.write(`${rest}\n`);
        break;
      case 'fail':
        process.stderr.write(`${rest || 'failed as told'}\n`);
        finish(`failed after ${edits} edit(s)`, 1);
    }
  }
  finish(`made ${edits} edit(s)`);
}

function runPlan(): void {
  const retry = prompt.includes('PLAN-FEEDBACK') ? fencedBlock('stub-plan-retry') : undefined;
  const plan = retry ?? fencedBlock('stub-plan');
  if (plan === undefined) {
    process.stderr.write('stub agent: no ```stub-plan block in the prompt\n');
    process.exit(1);
  }
  process.stdout.write(`\`\`\`cluster\n${plan}\`\`\`\n`);
  finish('planned');
}

function runResolve(): void {
  if (prompt.includes('@resolve-fail')) {
    process.stderr.write('stub agent: told not to resolve\n');
    process.exit(1);
  }
  const unmerged = execFileSync('git', ['diff', '--name-only', '--diff-filter=U'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const file of unmerged) {
    const text = readFileSync(file, 'utf8');
    const union = text.replace(
      /^<<<<<<< [^\n]*\n([\s\S]*?)^(?:\|\|\|\|\|\|\| [^\n]*\n[\s\S]*?)?=======\n([\s\S]*?)^>>>>>>> [^\n]*\n/gm,
      (_all, ours: string, theirs: string) => `${ours}${theirs}`,
    );
    writeFileSync(file, union);
  }
  finish(`resolved ${unmerged.length} file(s) by keeping both sides`);
}

if (mode === 'plan') runPlan();
else if (mode === 'resolve') runResolve();
else await runTask();
