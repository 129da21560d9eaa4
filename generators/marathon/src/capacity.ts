// The marathon kind's capacity rule: the apps must still fit after losing the largest failure
// domain. The figures are the model's (resolve(env).capacity, derived once); the rule and its
// messages are this kind's.
import { describeDomain, resolve, RESOURCE_UNIT, RESOURCES, type CapacityReport, type Environment, type Problem, type Resource } from '@infra/model';
import { appPath } from './names';

/**
 * Problems when demand does not fit after losing the largest failure domain, one per resource
 * with the shortfall, and when one instance is bigger than any agent (it could never start).
 */
export function capacityProblems(env: Environment, report: CapacityReport = resolve(env).capacity): Problem[] {
  const problems: Problem[] = [];
  for (const r of RESOURCES) {
    const c = report.resources[r];
    if (c.shortfall <= 0) continue;
    const unit = c.unit;
    const where =
      c.largestDomain === undefined
        ? 'none available: the environment has no Mesos agents'
        : `${c.supplyAfterLoss} ${unit} left after losing ${describeDomain(c.largestDomain)}`;
    problems.push({
      env: env.name,
      path: `capacity/${r}`,
      message: `needs ${c.demand} ${unit}, ${where}; short by ${c.shortfall} ${unit} (add agents or reduce instances)`,
    });
  }
  const agents = resolve(env).agents;
  if (agents.length === 0) return problems;
  const biggestOf = Object.fromEntries(RESOURCES.map((r) => [r, Math.max(...agents.map((a) => a[r]))])) as Record<Resource, number>;
  for (const app of report.apps) {
    if (app.instances === 0) continue;
    for (const r of RESOURCES) {
      const biggest = biggestOf[r];
      if (app.perInstance[r] > biggest) {
        const sidecar = app.sidecar && r !== 'disk' ? ' (sidecar included)' : '';
        problems.push({
          env: env.name,
          path: appPath(app.id, r),
          message: `one instance needs ${app.perInstance[r]} ${RESOURCE_UNIT[r]}${sidecar}, more than the largest agent offers (${biggest} ${RESOURCE_UNIT[r]})`,
        });
      }
    }
  }
  return problems;
}
