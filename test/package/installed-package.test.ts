/**
 * The published package on a user's machine: `npm pack`, installed into an empty folder with production dependencies
 * only, then run on each supported Node line and refused on an older one. Reaches the npm registry (allowed). A cold
 * run installs about 250 packages and Node 22 and takes about 90 s here; with the installs cached in the temporary
 * folder (see install-packed-package.ts) about 40 s.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.ts';
import {
  type CommandResult,
  envWithNode,
  installNode,
  installTarball,
  nodeVersion,
  PROJECT_ROOT,
  packProject,
  runCommand,
} from './install-packed-package.ts';

/** The oldest Node the package supports on the 22 line: the one most likely to lack something. */
const NODE_22 = '22.12.0';
/** The machine's own Node (v20 here), or a Node 20 from npm where the machine has none older than 22.12. */
const SYSTEM_NODE = '/usr/bin/node';
const OLD_NODE_FALLBACK = '20.19.0';
const STUB_AGENT = join(PROJECT_ROOT, 'test', 'stub-agent', 'stub-agent.ts');
/** The stub agent is TypeScript from this project: it runs on the tests' Node 24, outside node_modules. */
const AGENT_COMMAND = `"${process.execPath}" "${STUB_AGENT}"`;

const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

let work: string;
let bin: string;
let node22: string;
let oldNode: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cluster-package-'));
  const tarball = await packProject(work);
  [bin, node22, oldNode] = await Promise.all([
    installTarball(tarball, join(work, 'consumer')),
    installNode(NODE_22),
    olderNode(),
  ]);
}, 600_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** A Node older than the package supports: the machine's when it has one, else Node 20 from npm. */
async function olderNode(): Promise<string> {
  const version = await nodeVersion(SYSTEM_NODE);
  const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
  const older = version !== undefined && (major < 22 || (major === 22 && minor < 12));
  return older ? SYSTEM_NODE : installNode(OLD_NODE_FALLBACK);
}

/** Runs the installed `claude-cluster` (its npm bin link) with `node` first on PATH, as the user's shell would. */
function cli(node: () => string, args: string[], cwd = work): Promise<CommandResult> {
  return runCommand(bin, args, { cwd, env: envWithNode(node()), timeoutMs: 120_000 });
}

const planIssue = (tasks: string) => `# Add greetings\n\n\`\`\`cluster\ntasks:\n${tasks}\`\`\`\n`;
const ISSUE = planIssue(
  '  - { id: hello, title: Say hello, prompt: "@write hello.txt = hello" }\n' +
    '  - { id: bye, title: Say bye, prompt: "@write bye.txt = bye", depends_on: [hello] }\n',
);

describe('the packed package', () => {
  it('holds only compiled JavaScript, whose imports are Node built-ins, its own files or production dependencies', () => {
    const lib = join(work, 'consumer', 'node_modules', 'claude-cluster', 'lib');
    const files = listFiles(lib);
    expect(files).toContain('cli/bin.js');
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    const imported = new Set<string>();
    for (const file of files.filter((name) => name.endsWith('.js'))) {
      const text = readFileSync(join(lib, file), 'utf8');
      for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) {
        imported.add(match[1]!);
      }
      // Node cannot strip types under node_modules: no relative import may still name a .ts file.
      expect(text, file).not.toMatch(/(?:from\s+|import\s*\(\s*)['"]\.{1,2}\/[^'"]*\.ts['"]/);
    }
    const packages = [...imported]
      .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
      .map((specifier) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    expect(packages.length).toBeGreaterThan(0);
    for (const name of new Set(packages)) expect(Object.keys(packageJson.dependencies)).toContain(name);
  });
});

describe.each([
  ['24', () => process.execPath],
  [NODE_22, () => node22],
])('the installed claude-cluster on Node %s', (version, node) => {
  let repo: TempRepo;
  let issueFile: string;
  beforeAll(() => {
    repo = createTempRepo({ 'README.md': '# scratch\n' });
    issueFile = join(work, `issue-${version}.md`);
    writeFileSync(issueFile, ISSUE);
  });
  afterAll(() => repo?.remove());

  it('runs on that Node', async () => {
    const result = await runCommand(node(), ['--version'], { cwd: work });
    expect(result.stdout.trim()).toMatch(
      new RegExp(`^v${version === '24' ? '24\\.' : version.replaceAll('.', '\\.')}`),
    );
  });

  it('prints its version', async () => {
    const result = await cli(node, ['--version']);
    expect(result).toEqual({ exitCode: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it('validates the configuration of a repository', async () => {
    const result = await cli(node, ['validate', '--repo', repo.dir]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('.github/claude-cluster.yml is valid');
  });

  it('prints the plan of an issue', async () => {
    const result = await cli(node, ['plan', '--issue', issueFile, '--repo', repo.dir]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Say hello');
    expect(result.stdout).toContain('```mermaid');
  });

  it('runs an issue with the stub agent and integrates every task', async () => {
    const runId = `pkg-${version.replaceAll('.', '-')}`;
    const result = await cli(node, [
      'run',
      '--issue',
      issueFile,
      '--repo',
      repo.dir,
      '--agent',
      AGENT_COMMAND,
      '--run-id',
      runId,
      '--json',
    ]);
    expect(result.stderr).not.toMatch(/Error|not a function/);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      integrationBranch: `cluster/${runId}/integration`,
      tasks: [
        { id: 'hello', status: 'integrated' },
        { id: 'bye', status: 'integrated' },
      ],
    });
    expect(repo.git('show', `cluster/${runId}/integration:bye.txt`)).toBe('bye');
  });

  it('checks a repository with doctor', async () => {
    const result = await cli(node, ['doctor', '--repo', repo.dir, '--agent', AGENT_COMMAND]);
    expect(result.stdout).toContain('✓ Node: Node ');
    expect(result.stdout).toContain('✓ agent command:');
    expect(result.exitCode).toBe(0);
  });

  it('sets up a repository with init: the workflow and a commented configuration', async () => {
    const fresh = createTempRepo();
    try {
      const result = await cli(node, ['init', '--repo', fresh.dir]);
      expect(result.stderr).not.toMatch(/Error|not a function/);
      expect(result.exitCode).toBe(0);
      // The templates ship in the package: the workflow is written with the action reference filled in.
      const workflow = readFileSync(join(fresh.dir, '.github', 'workflows', 'claude-cluster.yml'), 'utf8');
      const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
      expect(workflow).toContain(`uses: claude-cluster/claude-cluster@v${version}`);
      expect(readFileSync(join(fresh.dir, '.github', 'claude-cluster.yml'), 'utf8')).toMatch(/^# /m);
    } finally {
      fresh.remove();
    }
  });
});

describe('the installed claude-cluster on a Node older than it supports', () => {
  it('refuses in one line naming the Node found and the one needed, exit 2, before touching the repository', async () => {
    const repo = createTempRepo();
    try {
      const issueFile = join(work, 'issue-old.md');
      writeFileSync(issueFile, ISSUE);
      const version = await nodeVersion(oldNode);

      const result = await cli(
        () => oldNode,
        ['run', '--issue', issueFile, '--repo', repo.dir, '--agent', AGENT_COMMAND, '--run-id', 'old-node'],
      );

      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `claude-cluster: this is Node ${version} (${await realExecPath(oldNode)}); claude-cluster needs Node 22.12 ` +
          'or newer on the 22 line, or Node 24 or newer (^22.12.0 || >=24): install a supported Node and run it again\n',
      );
      expect(repo.git('branch', '--list', 'cluster/*')).toBe('');
    } finally {
      repo.remove();
    }
  });
});

/** `process.execPath` as that Node reports it (symlinks resolved). */
async function realExecPath(node: string): Promise<string> {
  const result = await runCommand(node, ['-p', 'process.execPath'], { cwd: work });
  return result.stdout.trim();
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path)];
  });
}
