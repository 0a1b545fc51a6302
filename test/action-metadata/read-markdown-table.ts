/**
 * The names in the first column of the Markdown table under a heading, e.g. the README's
 * `### Action inputs` table:
 *
 *     ### Action inputs
 *
 *     | input | default | what it does |
 *     | --- | --- | --- |
 *     | `mode` | (required) | `plan` or `task` |
 *
 * The heading line must match exactly; text may stand between it and the table; the table ends at its first
 * non-table line. Rows after the separator row count, and each must start with one name in backticks. Throws an
 * error naming the heading when there is no such table or a row has no name.
 */
export function readTableNames(markdown: string, heading: string): string[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start === -1) throw new Error(`README.md has no \`${heading}\` heading; add it with a table below it`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6}\s/.test(line)) break;
    if (line.trim().startsWith('|')) rows.push(line.trim());
    else if (rows.length > 0) break;
  }
  const separator = rows.findIndex((row) => /^\|(\s*:?-{3,}:?\s*\|)+$/.test(row));
  if (separator === -1) {
    throw new Error(
      `README.md has no table under \`${heading}\`: add a header row, a \`| --- |\` row and one row per name`,
    );
  }
  return rows.slice(separator + 1).map((row) => {
    const first = row.split('|')[1]?.trim() ?? '';
    const name = /^`([^`]+)`$/.exec(first)?.[1];
    if (name === undefined) {
      throw new Error(`README.md row \`${row}\` under \`${heading}\` must start with a name in backticks`);
    }
    return name;
  });
}
