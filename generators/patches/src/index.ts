// rendered/<env>/patches/<group>.json: the patch plan of each group patched in place.
import type { Problem } from '@infra/model';
import type { Generator } from '@infra/render';
import { FileMap, generatedMarker, stableJson } from '@infra/render';
import { patchPlans } from './plan';

export { patchPlans } from './plan';
export type { PatchPlan, PatchStep } from './plan';

export const patchesGenerator: Generator = {
  name: 'patches',
  check(env) {
    const problems: Problem[] = [];
    const groups = new Set(env.hostGroups.map((g) => g.name));
    // Plans are files named by group: a Hadoop cluster and a VM group of one name would collide.
    for (const c of env.hadoop) {
      if (groups.has(c.name)) problems.push({ env: env.name, path: `hadoop/${c.name}/name`, message: `a host group is also named ${c.name}; their patch plans would be the same file: rename one` });
    }
    return problems;
  },
  generate(env) {
    return new FileMap(patchPlans(env).map((plan) => [`patches/${plan.group}.json`, stableJson({ '//': generatedMarker('patches'), ...plan })]));
  },
};
export { patchesDiff } from './diff';
