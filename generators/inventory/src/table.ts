/** A Markdown table; cells are escaped so a `|` in a value cannot break the layout. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  // Most cells hold no `|`: they are used as they are (thousands of rows at 5,000 VMs).
  const esc = (c: string | number) => (typeof c === 'number' ? String(c) : c.includes('|') ? c.replace(/\|/g, '\\|') : c);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
