import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSupportedNode, nodeVersionProblem, SUPPORTED_NODE_RANGE } from '../../cli/check-node-version.ts';
import { runCli } from './cli-harness.ts';

const packageJson = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
) as {
  version: string;
  engines: { node: string };
};

describe('the supported Node versions', () => {
  it.each(['22.12.0', '22.23.3', '24.0.0', '24.21.0', '25.1.0', 'v26.0.0'])('accept Node %s', (version) => {
    expect(isSupportedNode(version)).toBe(true);
    expect(nodeVersionProblem(version, '/usr/bin/node')).toBeUndefined();
  });

  it.each(['18.20.4', '20.20.2', '22.11.0', '23.11.1', 'not-a-version'])('refuse Node %s', (version) => {
    expect(isSupportedNode(version)).toBe(false);
  });

  it('are refused in one line naming the Node found, where it lives, and the Node needed', () => {
    const message = nodeVersionProblem('20.20.2', '/usr/bin/node');
    expect(message).toBe(
      'claude-cluster: this is Node 20.20.2 (/usr/bin/node); claude-cluster needs Node 22.12 or newer on the 22 ' +
        'line, or Node 24 or newer (^22.12.0 || >=24): install a supported Node and run it again',
    );
    expect(message).not.toContain('\n');
  });

  it('are the ones package.json declares in engines', () => {
    expect(packageJson.engines.node).toBe(SUPPORTED_NODE_RANGE);
  });
});

describe('claude-cluster --version', () => {
  it('prints the version of the package and exits 0', async () => {
    const result = await runCli(['--version']);
    expect(result).toEqual({ exitCode: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });
});
