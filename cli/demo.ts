#!/usr/bin/env node
/**
 * `npm run demo`: a scratch repository and the bundled demo issue through the whole pipeline — plan, parallel agents
 * in worktrees, integration with a real conflict, verify — then the pull-request body is printed. Uses Claude Code
 * when credentials are set, else the deterministic stub agent.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasClaudeCredentials } from '../core/agent/check-claude-credentials.ts';
import { cancelOnSignals } from './cancel-on-signals.ts';
import { main } from './main.ts';

const repo = mkdtempSync(join(tmpdir(), 'claude-cluster-demo-'));
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
git('init', '--quiet', '--initial-branch=main');
git('config', 'user.name', 'claude-cluster demo');
git('config', 'user.email', 'demo@claude-cluster.invalid');
cpSync(join(import.meta.dirname, 'demo', 'seed'), repo, { recursive: true });
git('add', '-A');
git('commit', '--quiet', '-m', 'Seed the greeting library');

const useClaude = hasClaudeCredentials(process.env);
const stub = `"${process.execPath}" "${join(import.meta.dirname, '..', 'test', 'stub-agent', 'stub-agent.ts')}"`;
process.stderr.write(
  `claude-cluster demo: scratch repository ${repo}\n` +
    `agent: ${useClaude ? 'Claude Code (credentials found)' : 'the deterministic stub agent (no Claude credentials set)'}\n\n`,
);
const args = [
  'run',
  '--issue',
  join(import.meta.dirname, 'demo', 'demo-issue.md'),
  '--repo',
  repo,
  '--run-id',
  'demo',
  '--parallel',
  '3',
  '--on-conflict',
  'resolve',
  '--verify',
  'node --check src/greet.js && node --check src/farewell.js && echo "syntax ok"',
  ...(useClaude ? [] : ['--agent', stub]),
];
const signal = cancelOnSignals(process.stderr);
const exitCode = await main(args, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal,
});
process.stderr.write(
  `\nInspect the result: git -C ${repo} log --graph --oneline cluster/demo/integration\n` +
    `Every ledger entry: git -C ${repo} log --first-parent --format=%B cluster/demo/ledger\n`,
);
process.exitCode = exitCode;
