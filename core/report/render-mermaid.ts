import { clip, fencedBlock, oneLine } from './escape-markdown.ts';
import type { TaskOutcome, TaskState } from './report-model.ts';
import { TASK_STATES } from './summarize-report.ts';

/** Fill and stroke of the node class of each state (GitHub's Primer colours, readable in both themes). */
const STATE_STYLES: Record<TaskState, string> = {
  integrated: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
  resolved: 'fill:#ddf4ff,stroke:#0969da,color:#1f2328',
  conflicted: 'fill:#fff1e5,stroke:#bc4c00,color:#1f2328',
  failed: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328',
  skipped: 'fill:#f6f8fa,stroke:#6e7781,color:#1f2328,stroke-dasharray:4 3',
  integrating: 'fill:#fbefff,stroke:#8250df,color:#1f2328',
  running: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  pending: 'fill:#ffffff,stroke:#8c959f,color:#1f2328',
};

/**
 * A Mermaid node id for a task id: `t_` then the id, each character other than a letter or digit
 * written as `_<hex code>_`. Distinct task ids give distinct node ids, and no id can be a Mermaid
 * keyword (`end`, `graph`) or carry syntax.
 */
export function mermaidNodeId(taskId: string): string {
  let id = 't_';
  for (const char of taskId) {
    id += /[A-Za-z0-9]/.test(char) ? char : `_${char.codePointAt(0)?.toString(16)}_`;
  }
  return id;
}

/**
 * Escapes text for a quoted Mermaid label. Mermaid reads `#name;` entity codes inside labels and
 * `%%{…}%%` directives anywhere, treats a label starting with a backtick as Markdown, and strips the
 * last `;` of a line holding `style…:…#…;`, so every character that could do any of this becomes an
 * entity code, and newlines become spaces.
 */
export function escapeMermaidLabel(text: string): string {
  return oneLine(text).replace(/["#%&<>`\\{}[\]|;:]/g, (c) =>
    c === '"' ? '#quot;' : `#${c.charCodeAt(0)};`,
  );
}

/** Options of {@link renderMermaid}. */
export interface MermaidOptions {
  /** Longest title shown in a node before it is cut with `…` (default 40; 0 shows the id only). */
  titleChars?: number;
}

/**
 * Renders the task graph as a fenced Mermaid `graph TD` block: one node per task labelled with its id
 * (and a short title), an edge from each dependency to its dependent, and one `classDef` per state so
 * each node is coloured by its state. Dependencies missing from the report still get a plain node.
 */
export function renderMermaid(tasks: readonly TaskOutcome[], options: MermaidOptions = {}): string {
  const titleChars = options.titleChars ?? 40;
  const lines = ['graph TD'];
  const known = new Set(tasks.map((t) => t.id));
  for (const task of tasks) {
    const label = titleChars > 0 ? `${task.id} — ${clip(task.title, titleChars)}` : task.id;
    lines.push(`  ${mermaidNodeId(task.id)}["${escapeMermaidLabel(label)}"]`);
  }
  const missing = new Set(tasks.flatMap((t) => t.dependsOn).filter((id) => !known.has(id)));
  for (const id of missing)
    lines.push(`  ${mermaidNodeId(id)}["${escapeMermaidLabel(`${id} (not in this run)`)}"]`);
  for (const task of tasks) {
    for (const dep of task.dependsOn) lines.push(`  ${mermaidNodeId(dep)} --> ${mermaidNodeId(task.id)}`);
  }
  for (const state of TASK_STATES) {
    const ids = tasks.filter((t) => t.state === state).map((t) => mermaidNodeId(t.id));
    if (ids.length === 0) continue;
    lines.push(`  classDef ${state} ${STATE_STYLES[state]}`);
    lines.push(`  class ${ids.join(',')} ${state}`);
  }
  return fencedBlock(lines.join('\n'), 'mermaid');
}
