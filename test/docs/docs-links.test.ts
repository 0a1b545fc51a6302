import { access } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingAnchors, relativeLinks } from './markdown-links.ts';
import { listDocsPages, ROOT, readRepositoryFile } from './read-repository-file.ts';

const pages = ['README.md', ...(await listDocsPages())];

async function exists(path: string): Promise<boolean> {
  return access(join(ROOT, path)).then(
    () => true,
    () => false,
  );
}

describe('relativeLinks', () => {
  it('finds repository links with their fragments, skipping web links and code', () => {
    const markdown = [
      'See [install](docs/install.md#docker), [here](#top) and [web](https://example.com).',
      '`[not](a-link.md)`',
      '```md',
      '[also not](b.md)',
      '```',
    ].join('\n');
    expect(relativeLinks(markdown)).toEqual([
      { text: 'install', path: 'docs/install.md', fragment: 'docker' },
      { text: 'here', path: '', fragment: 'top' },
    ]);
  });
});

describe('headingAnchors', () => {
  it('slugs headings as GitHub does, numbering repeats', () => {
    const markdown =
      '# Configuration: `.github/claude-cluster.yml`\n## 2b. Zero-hosting: the App\n## Notes\n## Notes\n';
    expect([...headingAnchors(markdown)]).toEqual([
      'configuration-githubclaude-clusteryml',
      '2b-zero-hosting-the-app',
      'notes',
      'notes-1',
    ]);
  });
});

describe('the documentation', () => {
  it('is listed in the README’s Docs section, every page of docs/', async () => {
    const readme = await readRepositoryFile('README.md');
    const section = readme.slice(readme.indexOf('\n## Docs\n'));
    expect(section, 'README.md has no `## Docs` section').not.toBe(readme);
    const listed = relativeLinks(section.split(/\n## /)[1] ?? '').map(({ path }) => path);
    expect([...new Set(listed)].sort()).toEqual(await listDocsPages());
  });

  for (const page of pages) {
    it(`${page} links only to files and headings that exist`, async () => {
      const broken: string[] = [];
      for (const link of relativeLinks(await readRepositoryFile(page))) {
        const target = link.path === '' ? page : normalize(join(dirname(page), link.path));
        if (!(await exists(target))) {
          broken.push(`[${link.text}](${link.path}): ${target} does not exist`);
          continue;
        }
        if (link.fragment !== undefined && target.endsWith('.md')) {
          const anchors = headingAnchors(await readRepositoryFile(target));
          if (!anchors.has(link.fragment))
            broken.push(`[${link.text}]: ${target} has no heading #${link.fragment}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
