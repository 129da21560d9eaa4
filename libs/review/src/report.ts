// The review as people and tools read it: text for a terminal (colour only when asked), markdown
// for the pull request (handlebars templates; never over GitHub's 65,536 characters: the summary
// and every risk stay, details are cut with a line saying so) and the versioned JSON envelope.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { lineDiff, reviewedLine, type AttributeChange, type EnvironmentDiff } from '@infra/render';
import { ReviewInputError } from './git';
import type { Review } from './review';
import { rolloutLine } from './rollout';

/** GitHub's limit for an issue or pull-request comment body. */
export const COMMENT_LIMIT = 65_536;
// The comment's marker is libs/render's (apply reads the comment back by it).
export { REVIEW_MARKER } from '@infra/render';
/** GitHub's limit for a job summary (1 MiB), in characters with room for multi-byte ones. */
export const JOB_SUMMARY_LIMIT = 1_000_000;
export const SUMMARY_CUT_NOTICE = '_Details were cut to fit a job summary (1 MiB): the full report is in this run\'s `review.json` artifact and `npx infra diff`._';
export const CUT_NOTICE = '_Details were cut to stay under GitHub\'s limit of 65,536 characters: the full report is in this run\'s job summary and its `review.json` artifact (`npx infra diff` prints it too)._';

// ---- json --------------------------------------------------------------------------------------

export function jsonReport(review: Review): string {
  return JSON.stringify(review, null, 2) + '\n';
}

// ---- shared words --------------------------------------------------------------------------------

const short = (sha: string) => (sha ? sha.slice(0, 12) : 'none');
const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);
const names = (xs: string[], max = 20) => (xs.length > max ? `${xs.slice(0, max).join(', ')} and ${xs.length - max} more` : xs.join(', '));

function attributeText(a: AttributeChange, cloudInitGroups: Set<string>, group?: string): string {
  if (a.lines) {
    if (!a.lines.length) return 'encoding changed; the decoded cloud-config is identical';
    return group && cloudInitGroups.has(group) ? `decoded cloud-config changes (${a.lines.length} line(s), shown under cloud-init, group ${group})` : `decoded cloud-config: ${a.lines.join(' / ')}`;
  }
  if (typeof a.before === 'string' && typeof a.after === 'string' && (a.before.includes('\n') || a.after.includes('\n'))) return lineDiff(a.before, a.after).join(' / ');
  return `${clip(show(a.before))} → ${clip(show(a.after))}`;
}

function marathonEffect(m: EnvironmentDiff['changes']['marathon'][number]): string {
  if (m.action === 'create') return `starts ${m.instancesAfter ?? 0} instance(s)`;
  if (m.action === 'delete') return `stops its ${m.instancesBefore ?? 0} task(s)`;
  if (m.restarts) return `restarts every task (${m.instancesAfter ?? 0} instance(s))${m.instancesBefore !== m.instancesAfter ? `, instances ${m.instancesBefore} → ${m.instancesAfter}` : ''}`;
  return `only scales, ${m.instancesBefore} → ${m.instancesAfter} instance(s); no task restarts`;
}

const changed = (e: EnvironmentDiff) => {
  const c = e.changes;
  return c.terraform.length + c.cloudInit.length + c.marathon.length + c.hadoop.length + c.patches.length + c.summary.length > 0;
};

// ---- markdown --------------------------------------------------------------------------------------

let templates: { summary: HandlebarsTemplateDelegate; details: HandlebarsTemplateDelegate } | undefined;
function loadTemplates() {
  if (templates) return templates;
  // Found through the package, not __dirname, so the path holds when the CLI runs bundled.
  const dir = path.join(path.dirname(require.resolve('@infra/review/package.json')), 'templates');
  const hb = Handlebars.create();
  hb.registerHelper('short', (sha: string) => short(sha));
  const compile = (f: string) => hb.compile(fs.readFileSync(path.join(dir, f), 'utf8'), { noEscape: true, strict: false });
  templates = { summary: compile('summary.hbs'), details: compile('details.hbs') };
  return templates;
}

interface Capped<T> { items: T[]; cut: number }
const cap = <T>(xs: T[], k: number): Capped<T> => ({ items: xs.slice(0, k), cut: Math.max(0, xs.length - k) });

function detailsView(e: EnvironmentDiff, k: number) {
  const c = e.changes;
  const groups = new Set(c.cloudInit.map((g) => g.group));
  return {
    name: e.name,
    counts: e.counts,
    changed: changed(e),
    terraform: cap(c.terraform.map((t) => ({
      action: t.action,
      address: t.address,
      tags: [t.role, t.failureDomain, t.dataHolding === 'data' ? 'holds data' : t.dataHolding === 'stateful-vm' ? 'data on a kept disk' : ''].filter(Boolean).join(', '),
      why: t.reasons.join('; '),
      attributes: t.attributes.slice(0, Math.max(k, 1)).map((a) => ({ path: a.path, text: attributeText(a, groups, t.group).replace(/`/g, "'") })),
    })), k),
    cloudInit: cap(c.cloudInit.map((g) => ({ ...g, hostCount: g.hosts.length, hosts: names(g.hosts), lines: g.lines.slice(0, Math.max(k, 1) * 20) })), k),
    marathon: cap(c.marathon.map((m) => ({ action: m.action, id: m.id, effect: marathonEffect(m), attributes: m.attributes.slice(0, Math.max(k, 1)).map((a) => ({ path: a.path, text: attributeText(a, groups).replace(/`/g, "'") })) })), k),
    hadoop: cap(c.hadoop, k),
    patches: cap(c.patches.map((p) => ({
      group: p.group, hostCount: p.hosts.length, hosts: names(p.hosts), reboot: p.reboot,
      packages: p.packages.map((x) => `${x.name} ${x.before ?? '(new)'} → ${x.after ?? '(removed)'}`).join(', ') || 'no package change',
    })), k),
    summary: cap(c.summary, k),
  };
}

/** `type.{a, b}` for addresses that share a resource type: every address, in fewer characters. */
function compactAddresses(addresses: string[]): string {
  const byPrefix = new Map<string, string[]>();
  for (const a of addresses) {
    const dot = a.indexOf('.');
    const [prefix, rest] = dot > 0 && /^[a-z0-9_]+$/.test(a.slice(0, dot)) ? [a.slice(0, dot), a.slice(dot + 1)] : ['', a];
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), rest]);
  }
  return [...byPrefix].map(([p, rest]) => (p ? `\`${p}.{${rest.join(', ')}}\`` : rest.map((x) => `\`${x}\``).join(', '))).join(', ');
}

/**
 * Compact: risks of one id and severity on one line each, every address still listed (for a
 * change with so many risks that one line each would not fit in a comment).
 */
function summaryView(review: Review, compact = false) {
  return {
    base: review.base,
    head: review.head,
    compact,
    environments: review.environments.map((e) => {
      const groups = new Map<string, { id: string; high: boolean; count: number; message: string; list: string[] }>();
      for (const r of e.risks) {
        const key = `${r.severity} ${r.id}`;
        const g = groups.get(key) ?? { id: r.id, high: r.severity === 'high', count: 0, message: r.message, list: [] };
        g.count++;
        g.list.push(r.address);
        groups.set(key, g);
      }
      return {
        ...e,
        rolloutLine: e.rollout?.length ? rolloutLine(e.rollout) : '',
        reviewedLine: reviewedLine(e.name, e.reviewedHash, review.head.sha),
        changed: changed(e),
        risks: e.risks.map((r) => ({ ...r, high: r.severity === 'high' })),
        riskGroups: [...groups.values()].map((g) => ({ ...g, addresses: compactAddresses(g.list) })),
      };
    }),
  };
}

/**
 * The pull-request report. With a limit, details are cut (fewer items per list, then none) until
 * it fits; the summary with every risk and every reviewed line is never cut.
 */
export function markdownReport(review: Review, limit = Infinity, notice = CUT_NOTICE): string {
  const t = loadTemplates();
  let summary = t.summary(summaryView(review));
  if (summary.length > limit) summary = t.summary(summaryView(review, true));
  const details = (k: number) => review.environments.map((e) => t.details(detailsView(e, k))).join('');
  const most = Math.max(1, ...review.environments.map((e) => Math.max(e.changes.terraform.length, e.changes.cloudInit.length, e.changes.marathon.length, e.changes.hadoop.length, e.changes.patches.length, e.changes.summary.length)));
  const full = summary + details(most);
  if (full.length <= limit) return full;
  const line = `\n${notice}\n`;
  const fits = (k: number) => summary.length + line.length + details(k).length <= limit;
  let lo = 0;
  let hi = most;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid; else hi = mid - 1;
  }
  const body = lo > 0 || fits(0) ? summary + line + details(lo) : summary + line;
  if (body.length > limit) {
    throw new ReviewInputError(`the review summary alone is ${body.length} characters, over the limit of ${limit} even with its risks grouped: split the change into smaller pull requests`);
  }
  return body;
}

// ---- text --------------------------------------------------------------------------------------

const COLOURS = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;

export function textReport(review: Review, options: { colour?: boolean } = {}): string {
  const paint = (c: keyof typeof COLOURS, s: string) => (options.colour ? `\x1b[${COLOURS[c]}m${s}\x1b[0m` : s);
  const symbol = { create: paint('green', '+'), update: paint('yellow', '~'), replace: paint('red', '-/+'), delete: paint('red', '-') } as const;
  const out: string[] = [`infra diff: base ${review.base.ref} (${short(review.base.sha)}) → head ${review.head.ref}${review.head.sha ? ` (${short(review.head.sha)})` : ''}`];
  for (const e of review.environments) {
    const c = e.changes;
    const n = e.counts;
    out.push('', paint('bold', `${e.name}`) + `  reviewed ${e.reviewedHash ? `sha256:${e.reviewedHash}` : 'none (not rendered at head)'}`);
    if (e.risks.length) {
      out.push(`  ${paint('bold', `RISKS (${e.risks.length})`)}`);
      for (const r of e.risks) out.push(`    ${r.severity === 'high' ? paint('red', 'HIGH  ') : paint('yellow', 'medium')} ${r.id}  ${r.address}: ${r.message}`);
    } else out.push('  no risks found');
    out.push(`  blast radius: ${n.vmsCreated} VM(s) created, ${n.vmsReplaced} replaced, ${n.vmsDestroyed} destroyed, ${n.updated} resource(s) updated; ` +
      `${n.appsRestarted} app(s) restarted, ${n.appsCreated} created, ${n.appsDeleted} deleted (${n.instancesAffected} instance(s) affected); ` +
      `${n.hostsCommissioned} host(s) commissioned, ${n.hostsDecommissioned} decommissioned; ${n.hostsPatched} patched in place`);
    if (e.rollout?.length) out.push(`  rollout: ${rolloutLine(e.rollout)}`);
    if (!changed(e)) { out.push('  nothing changes'); continue; }
    const groups = new Set(c.cloudInit.map((g) => g.group));
    if (c.terraform.length) {
      out.push('  terraform');
      for (const t of c.terraform) {
        out.push(`    ${symbol[t.action]} ${t.address}${t.dataHolding !== 'none' ? paint('red', ` [${t.dataHolding === 'data' ? 'holds data' : 'data on a kept disk'}]`) : ''}${t.reasons.length ? `: ${t.reasons.join('; ')}` : ''}`);
        for (const a of t.attributes) out.push(paint('dim', `        ${a.path}: ${attributeText(a, groups, t.group)}`));
      }
    }
    if (c.cloudInit.length) {
      out.push('  cloud-init');
      for (const g of c.cloudInit) {
        out.push(`    ${symbol[g.action]} group ${g.group} reaches ${g.hosts.length} host(s)${g.hosts.length ? `: ${names(g.hosts)}` : ''}`);
        for (const l of g.lines) out.push(`        ${l.startsWith('+') ? paint('green', l) : paint('red', l)}`);
      }
    }
    if (c.marathon.length) {
      out.push('  marathon');
      for (const m of c.marathon) {
        out.push(`    ${symbol[m.action]} ${m.id}: ${marathonEffect(m)}`);
        for (const a of m.attributes) out.push(paint('dim', `        ${a.path}: ${attributeText(a, groups)}`));
      }
    }
    if (c.hadoop.length) {
      out.push('  hadoop');
      for (const h of c.hadoop) out.push(`    ${h.action} ${h.cluster}/${h.host}${h.detail ? `: ${h.detail}` : ''}`);
    }
    if (c.patches.length) {
      out.push('  patches');
      for (const p of c.patches) out.push(`    group ${p.group}: ${p.packages.map((x) => `${x.name} ${x.before ?? '(new)'} → ${x.after ?? '(removed)'}`).join(', ') || 'no package change'}; hosts in order: ${names(p.hosts)}${p.reboot ? '; each reboots' : ''}`);
    }
    if (c.summary.length) {
      out.push('  inventory');
      for (const s of c.summary) out.push(`    ${s}`);
    }
  }
  return out.join('\n') + '\n';
}
