import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMermaidLabel, mermaidNodeId, renderMermaid } from '../../core/report/render-mermaid.ts';
import { sixTaskRun, taskOutcome } from './build-run-report.ts';
import { hostileText } from './hostile-text.ts';

function graphLines(block: string): string[] {
  return block.split('\n').slice(1, -1);
}

describe('renderMermaid', () => {
  const block = renderMermaid(sixTaskRun().tasks);
  const lines = graphLines(block);

  it('is a fenced mermaid graph TD', () => {
    expect(block.startsWith('```mermaid\ngraph TD\n')).toBe(true);
    expect(block.endsWith('\n```')).toBe(true);
  });

  it('labels each node with the task id and a short title', () => {
    expect(lines).toContain('  t_api["api — Add /users REST endpoints"]');
  });

  it('draws an edge from each dependency to its dependent', () => {
    expect(lines.filter((l) => l.includes('-->'))).toEqual([
      '  t_db --> t_api',
      '  t_db --> t_auth',
      '  t_api --> t_ui',
      '  t_ui --> t_docs',
      '  t_api --> t_tests',
    ]);
  });

  it('colours nodes with one class per state that occurs', () => {
    expect(lines.filter((l) => l.startsWith('  class '))).toEqual([
      '  class t_db,t_tests integrated',
      '  class t_api resolved',
      '  class t_auth conflicted',
      '  class t_ui failed',
      '  class t_docs skipped',
    ]);
    expect(lines.filter((l) => l.startsWith('  classDef ')).map((l) => l.split(' ')[3])).toEqual([
      'integrated',
      'resolved',
      'conflicted',
      'failed',
      'skipped',
    ]);
  });

  it('labels nodes with ids only when asked for no titles', () => {
    expect(graphLines(renderMermaid(sixTaskRun().tasks, { titleChars: 0 }))).toContain('  t_db["db"]');
  });

  it('adds a plain node for a dependency missing from the report', () => {
    const graph = graphLines(renderMermaid([taskOutcome({ id: 'a', dependsOn: ['gone'] })]));
    expect(graph).toContain('  t_gone["gone (not in this run)"]');
    expect(graph).toContain('  t_gone --> t_a');
  });

  describe('with a hostile title', () => {
    const title =
      '"]; click t_a "javascript:alert(1)" %%{init: {"securityLevel": "loose"}}%% `**md**` <b>x</b>\nend';
    const graph = graphLines(renderMermaid([taskOutcome({ id: 'a', title })]));

    it('keeps the label inside its quotes, with quotes as #quot;', () => {
      expect(graph[1]).toMatch(/^ {2}t_a\["[^"\n]*"\]$/);
      expect(graph[1]).toContain('#quot;#93;#59; click t_a #quot;javascript#58;alert(1)#quot;');
    });

    it('leaves no directive, Markdown string or HTML for Mermaid to read', () => {
      expect(graph[1]).not.toMatch(/%%|`|<|>/);
    });
  });
});

describe('mermaidNodeId', () => {
  it('prefixes ids so none is a keyword', () => {
    expect(mermaidNodeId('end')).toBe('t_end');
  });

  it('gives distinct ids distinct, safe node ids', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(mermaidNodeId(a)).not.toBe(mermaidNodeId(b));
        expect(mermaidNodeId(a)).toMatch(/^t_[A-Za-z0-9_]*$/);
      }),
    );
  });
});

describe('escapeMermaidLabel', () => {
  it('never leaves a quote, newline, percent sign or backtick in a label', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(escapeMermaidLabel(text)).not.toMatch(/["\n\r%`]/);
      }),
    );
  });
});
