// The parity kind's rule: each gap, mismatch and stale exclusion of the parity report (a fact of
// the model, libs/model/src/parity.ts) as a located problem with the next step.
import type { ParityKind, ParityReport, Problem } from '@infra/model';

const KIND_LABEL: Record<ParityKind, string> = { host: 'host', database: 'database', role: 'role', app: 'Marathon app', 'hadoop-host': 'Hadoop host' };

/** Located problems: each gap, mismatch and stale exclusion, with the next step. */
export function parityProblems(report: ParityReport): Problem[] {
  const env = report.environment;
  const problems: Problem[] = [];
  for (const e of report.entries) {
    const what = `${KIND_LABEL[e.kind]} ${e.name}`;
    const at = `parity/${e.kind}/${segment(e.name)}`;
    if (e.status === 'mismatch') {
      problems.push({ env, path: at, message: `${what} differs from production ${report.production}: ${e.note}; make it match production` });
    } else if (e.status === 'missing' && e.kind === 'role') {
      problems.push({ env, path: at, message: `production ${report.production} has role ${e.name} but ${env} has no host with it: restore its hosts, or exclude each of them with a reason` });
    } else if (e.status === 'missing') {
      const fix = `{ kind: '${e.kind}', name: '${e.name}', reason: '<why DR does without it>' }`;
      const why = e.note === 'excluded without a reason' ? 'is excluded without a reason' : `has no counterpart in ${env}`;
      problems.push({ env, path: at, message: `production ${report.production} has ${what}, which ${why}: restore it, or exclude it with ${fix}` });
    }
  }
  for (const x of report.staleExclusions) {
    problems.push({
      env,
      path: `derivedFrom/exclusions/${x.kind}/${segment(x.name)}`,
      message: `excludes ${KIND_LABEL[x.kind]} ${x.name}, but production ${report.production} has no ${KIND_LABEL[x.kind]} of that name: remove the exclusion or fix its name or kind`,
    });
  }
  return problems;
}

/** App ids start with "/"; in a path they read like the validator's `apps/web/storefront`. */
function segment(name: string): string {
  return name.replace(/^\//, '');
}
