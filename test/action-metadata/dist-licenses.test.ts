import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_SDK_PACKAGE, PINNED_AGENT_SDK_VERSION } from '../../action/install-claude-code.ts';
import { REPOSITORY_ROOT } from '../../scripts/build-action.ts';
import {
  countLicenceHeadings,
  findNonPermissiveLicences,
  isPermissive,
} from './find-non-permissive-licences.ts';

const licenses = readFileSync(join(REPOSITORY_ROOT, 'dist', 'licenses.txt'), 'utf8');

describe('dist/licenses.txt', () => {
  it('lists only packages under licences that allow redistribution from an MIT repository', () => {
    expect(
      findNonPermissiveLicences(licenses),
      'dist/ bundles a package whose licence forbids redistribution: load it at run time instead (see scripts/build-action.ts)',
    ).toEqual([]);
  });

  it('states a licence for every bundled package it counts', () => {
    const stated = Number(/\((\d+) packages\)/.exec(licenses)?.[1]);
    expect(stated).toBeGreaterThan(0);
    expect(countLicenceHeadings(licenses)).toBe(stated);
  });

  it('does not hold the agent SDK, which the action installs at run time', () => {
    expect(licenses).not.toContain(`${AGENT_SDK_PACKAGE}@`);
  });

  describe('the licence check', () => {
    it('flags the agent SDK’s “SEE LICENSE IN README.md”, UNLICENSED and a package stating none', () => {
      const text = [
        '@anthropic-ai/claude-agent-sdk@0.3.330 (license: SEE LICENSE IN README.md)',
        '© Anthropic PBC. All rights reserved.',
        'private@1.0.0 (license: UNLICENSED)',
        'silent@1.0.0 (license: not stated)',
        'fine@1.0.0 (license: MIT)',
      ].join('\n\n');

      expect(findNonPermissiveLicences(text)).toEqual([
        '@anthropic-ai/claude-agent-sdk@0.3.330 (SEE LICENSE IN README.md)',
        'private@1.0.0 (UNLICENSED)',
        'silent@1.0.0 (not stated)',
      ]);
    });

    it.each([
      ['MIT', true],
      ['(Apache-2.0 AND BSD-3-Clause)', true],
      ['(MIT OR GPL-3.0-only)', true],
      ['MIT AND GPL-3.0-only', false],
      ['GPL-2.0-only WITH Classpath-exception-2.0', false],
      ['Apache-2.0 WITH LLVM-exception', true],
      ['BlueOak-1.0.0', true],
      ['(MIT', false],
      ['', false],
    ])('judges `%s` permissive: %s', (expression, expected) => {
      expect(isPermissive(expression)).toBe(expected);
    });
  });
});

describe('the pinned agent SDK version', () => {
  it('is the @anthropic-ai/claude-agent-sdk version package.json depends on', () => {
    const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies[AGENT_SDK_PACKAGE]).toBe(PINNED_AGENT_SDK_VERSION);
  });
});
