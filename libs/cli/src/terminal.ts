// Rendered Markdown made for reading in a terminal: the generated-file comment (meant for a
// reviewer of rendered/, not for someone who asked for the inventory) is dropped, and tables
// get padded columns so they line up. The result is still valid Markdown.

const COMMENT = /^<!--.*-->$/;

export function forTerminal(markdown: string): string {
  const lines = markdown.split('\n').filter((l) => !COMMENT.test(l.trim()));
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    if (!isRow(lines[i])) {
      // Never two blank lines in a row where a comment was.
      if (!(lines[i] === '' && out[out.length - 1] === '')) out.push(lines[i]);
      i++;
      continue;
    }
    const table: string[][] = [];
    while (i < lines.length && isRow(lines[i])) table.push(cells(lines[i++]));
    out.push(...align(table));
  }
  return out.join('\n');
}

const isRow = (line: string) => line.startsWith('|') && line.endsWith('|');

/** Cells of a row; an escaped `\|` stays inside its cell. */
function cells(line: string): string[] {
  return line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
}

function align(rows: string[][]): string[] {
  const isRule = (r: string[]) => r.every((c) => /^:?-+:?$/.test(c));
  const widths: number[] = [];
  for (const r of rows) if (!isRule(r)) r.forEach((c, j) => (widths[j] = Math.max(widths[j] ?? 3, [...c].length)));
  return rows.map((r) => `| ${r.map((c, j) => (isRule(r) ? '-'.repeat(widths[j]) : c + ' '.repeat(widths[j] - [...c].length))).join(' | ')} |`);
}
