// PARITY.md for reviewers and PARITY.json for tools, rendered from one ParityReport.
import { generatedMarker, lines, stableJson } from '@infra/render';
import type { ParityEntry, ParityFacts as Facts, ParityKind, ParityReport, ParityStatus } from '@infra/model';

export const PARITY_GENERATOR = 'parity';

const SECTIONS: { kind: ParityKind; title: string; key: string }[] = [
  { kind: 'host', title: 'Hosts', key: 'hosts' },
  { kind: 'role', title: 'Roles', key: 'roles' },
  { kind: 'database', title: 'Databases', key: 'databases' },
  { kind: 'app', title: 'Marathon apps', key: 'apps' },
  { kind: 'hadoop-host', title: 'Hadoop hosts', key: 'hadoopHosts' },
];

const STATUSES: ParityStatus[] = ['paired', 'excluded', 'missing', 'mismatch'];

function counts(entries: ParityEntry[]): Record<ParityStatus, number> {
  const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ParityStatus, number>;
  for (const e of entries) out[e.status]++;
  return out;
}

export function parityJson(report: ParityReport): string {
  const doc: Record<string, unknown> = {
    '//': generatedMarker(PARITY_GENERATOR),
    environment: report.environment,
    production: report.production,
    summary: Object.fromEntries(SECTIONS.map((s) => [s.key, counts(report.entries.filter((e) => e.kind === s.kind))])),
    onlyInCopy: report.onlyInCopy,
    staleExclusions: report.staleExclusions,
  };
  for (const s of SECTIONS) {
    doc[s.key] = report.entries.filter((e) => e.kind === s.kind).map(({ kind: _kind, ...rest }) => rest);
  }
  return stableJson(doc);
}

export function parityMarkdown(report: ParityReport): string {
  const { environment: copy, production } = report;
  const out = [
    `# Parity: ${copy} ← ${production}`,
    '',
    `<!-- ${generatedMarker(PARITY_GENERATOR)} -->`,
    '',
    `Every host, role, database, Marathon app and Hadoop host of production \`${production}\` with its`,
    `counterpart in \`${copy}\`, or the reason it is left out. \`infra check\` fails on any row marked`,
    '**missing** or **mismatch**.',
    '',
    '| | paired | excluded | missing | mismatch |',
    '| --- | --- | --- | --- | --- |',
    ...SECTIONS.map((s) => {
      const c = counts(report.entries.filter((e) => e.kind === s.kind));
      return `| ${s.title} | ${c.paired} | ${c.excluded} | ${c.missing} | ${c.mismatch} |`;
    }),
  ];
  for (const s of SECTIONS) {
    const entries = report.entries.filter((e) => e.kind === s.kind);
    out.push('', `## ${s.title} (${entries.length})`, '');
    if (entries.length === 0) {
      out.push('None in production.');
      continue;
    }
    out.push(`| ${s.kind === 'app' ? 'app id' : 'name'} | ${production} | ${copy} | status |`, '| --- | --- | --- | --- |');
    for (const e of entries) out.push(`| ${cell(e.name)} | ${cell(facts(e.production))} | ${cell(e.counterpart ? facts(e.counterpart) : '—')} | ${cell(status(e))} |`);
  }
  if (report.onlyInCopy.length) {
    out.push('', `## Only in ${copy}`, '', ...report.onlyInCopy.map((x) => `- ${x.kind} \`${x.name}\``));
  }
  if (report.staleExclusions.length) {
    out.push('', '## Exclusions that match nothing in production', '', ...report.staleExclusions.map((x) => `- ${x.kind} \`${x.name}\`: ${x.reason}`));
  }
  return lines(out);
}

function facts(f: Facts): string {
  return Object.keys(f).sort().map((k) => `${k}: ${f[k]}`).join('; ');
}

function status(e: ParityEntry): string {
  switch (e.status) {
    case 'paired': return 'paired';
    case 'excluded': return `excluded: ${e.note}`;
    case 'missing': return `**missing**: ${e.note}`;
    case 'mismatch': return `**mismatch**: ${e.note}`;
  }
}

/** A table cell: a `|` or a line break in a value must not break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
