import { SYSTEMS, type DriftReport, type EnvironmentDrift, type FieldDrift } from './types';

// infra drift's three outputs (DESIGN §3): text for a terminal, markdown for the issue and the
// job summary, JSON (stable key order, the report as it is) for tools. Deterministic: sorted by
// address, id and host; no clock.

export const ISSUE_MARKER = (env: string) => `<!-- infra:drift:${env} -->`;

const value = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
const field = (f: FieldDrift) => `${f.path}: ${value(f.applied)} → ${value(f.live)}`;
const short = (sha: string) => sha.slice(0, 12);

/** One line per difference, grouped by system; shared by text and md. */
function findings(e: EnvironmentDrift): { system: string; lines: string[] }[] {
  const out: { system: string; lines: string[] }[] = [];
  const t = e.drift.terraform.map((d) => d.action === 'delete'
    ? `${d.address}: deleted outside the tool`
    : `${d.address}: changed outside the tool (${d.attributes.map(field).join('; ') || 'attributes unknown'})`);
  const m = e.drift.marathon.map((d) => d.kind === 'missing'
    ? `${d.id}: rendered but not in Marathon (deleted by hand?)`
    : d.kind === 'not-rendered' ? `${d.id}: labelled MANAGED_BY=infra but rendered/ no longer has it (apply deletes it on the next change; or delete it by hand)`
      : `${d.id}: ${d.fields.map(field).join('; ')}`);
  const h = e.drift.hadoop.map((d) => d.kind === 'file'
    ? `${d.host}:${d.file} differs from its rendering${d.missing?.length ? `; lacks: ${d.missing.join(' | ')}` : ''}${d.extra?.length ? `; has besides: ${d.extra.join(' | ')}` : ''}`
    : `${d.cluster}: the NameNode ${d.host} reports ${d.datanode} ${d.reported}; the applied files say ${d.expected}`);
  const p = e.drift.patches.map((d) => `${d.host} (${d.group}): ${d.package} ${d.installed === null ? 'not installed' : d.installed}, the patch plan says ${d.expected}`);
  for (const [system, lines] of [['terraform', t], ['marathon', m], ['hadoop', h], ['patches', p]] as const) if (lines.length) out.push({ system, lines });
  return out;
}

function headline(e: EnvironmentDrift): string {
  if (e.status === 'never-applied') return `${e.name}: never applied — skipped`;
  const n = e.counts.terraform + e.counts.marathon + e.counts.hadoop + e.counts.patches;
  const what = e.status === 'drift' ? `${n} difference(s) from what was applied` : e.status === 'unreachable' ? 'no drift found, but a system could not be read' : 'no drift';
  return `${e.name}: ${what} (applied ${short(e.applied!.commit)}${e.applied!.at ? ` at ${e.applied!.at}` : ''})`;
}

export function driftText(report: DriftReport): string {
  const out: string[] = [];
  for (const e of report.environments) {
    out.push(headline(e));
    for (const n of e.notes) out.push(`  note: ${n}`);
    if (e.status === 'never-applied') continue;
    out.push(`  systems: ${SYSTEMS.map((s) => `${s} ${e.systems[s].status}`).join(', ')}`);
    for (const s of SYSTEMS) for (const n of e.systems[s].notes) out.push(`  ${s}: ${e.systems[s].status === 'unreachable' ? 'unreachable: ' : ''}${n}`);
    for (const f of findings(e)) {
      out.push(`  ${f.system} drift:`);
      for (const l of f.lines) out.push(`    ${l}`);
    }
    if (e.unmanaged.length) out.push(`  not managed by infra (listed, not drift): ${e.unmanaged.join(', ')}`);
    if (e.pending.length) {
      out.push(`  pending (merged after ${short(e.applied!.commit)}, not applied yet; not drift):`);
      for (const p of e.pending) out.push(`    ${p.change} ${p.path}`);
    }
    if (e.status === 'drift') out.push(`  To fix: put the change into the definitions (render, review, merge) to keep it, or run infra apply ${e.name} to undo it (a terraform change made by hand is refused as unreviewed until it is in a reviewed diff or named with --allow-unreviewed).`);
  }
  return out.join('\n') + '\n';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown (the drift issue's body starts with ISSUE_MARKER; see issue.ts). */
export function driftMarkdown(report: DriftReport, runUrl?: string): string {
  const out: string[] = [];
  for (const e of report.environments) {
    out.push(`### ${e.status === 'drift' ? '⚠️' : e.status === 'unreachable' ? '❔' : '✅'} ${cell(headline(e))}`, '');
    for (const n of e.notes) out.push(`> ${cell(n)}`, '');
    if (e.status === 'never-applied') continue;
    out.push('| system | status | differences |', '|---|---|---|');
    for (const s of SYSTEMS) out.push(`| ${s} | ${e.systems[s].status} | ${e.counts[s]} |`);
    out.push('');
    for (const s of SYSTEMS) for (const n of e.systems[s].notes) out.push(`- **${s}**: ${cell(n)}`);
    for (const f of findings(e)) {
      out.push(`#### ${f.system}`, '');
      for (const l of f.lines) out.push(`- \`${l.split(':')[0]}\`${cell(l.slice(l.indexOf(':')))}`);
      out.push('');
    }
    if (e.unmanaged.length) out.push(`<details><summary>${e.unmanaged.length} app(s) not managed by infra (not drift)</summary>`, '', ...e.unmanaged.map((id) => `- \`${id}\``), '', '</details>', '');
    if (e.pending.length) out.push(`<details><summary>${e.pending.length} change(s) merged but not applied yet (not drift)</summary>`, '', ...e.pending.map((p) => `- ${p.change} \`${p.path}\``), '', '</details>', '');
    if (e.status === 'drift') out.push(`To fix: put the change into the definitions (render, review, merge) to keep it, or run \`infra apply ${e.name}\` to undo it. This issue is updated by every drift run and closed when the drift is gone.`, '');
  }
  if (runUrl) out.push(`Run: ${runUrl}`, '');
  return out.join('\n');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export function driftJson(report: DriftReport): string {
  const { schema, base, head, environments } = report;
  return JSON.stringify({ schema, base, head, environments: environments.map(sortKeys) }, null, 2) + '\n';
}
