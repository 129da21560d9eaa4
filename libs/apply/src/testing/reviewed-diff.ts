import type { EnvironmentDiff, MarathonChange, TerraformChange, Tree } from '@infra/render';
import { resourcesOf } from '../terraform-resources';

// The reviewed diff of two rendered trees, as the review engineer's `infra diff` reports it
// (libs/render/src/changes.ts), reduced to what apply reads: terraform addresses and actions
// (a change under `clone` or `replace_trigger` of a VM replaces it, DESIGN §4), Marathon apps
// created, updated or deleted. Test support only: in production the cli computes the diff
// through libs/review and the kinds.

const FORCES_NEW: Record<string, string[]> = {
  vsphere_virtual_machine: ['clone', 'replace_trigger'],
  aws_instance: ['ami', 'subnet_id', 'private_ip'],
};

export function reviewedDiff(env: string, base: Tree, target: Tree): EnvironmentDiff {
  const before = resourcesOf(base);
  const after = resourcesOf(target);
  const terraform: TerraformChange[] = [];
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(address);
    const a = after.get(address);
    let action: TerraformChange['action'] | undefined;
    if (!b) action = 'create';
    else if (!a) action = 'delete';
    else if (JSON.stringify(a.body) !== JSON.stringify(b.body)) {
      // lifecycle.ignore_changes hides an attribute (top-level names are all this reduction reads).
      const ignore = ((a.body.lifecycle ?? {}) as { ignore_changes?: unknown }).ignore_changes;
      const ignored = new Set(Array.isArray(ignore) ? ignore.map((i) => String(i).split(/[.[]/)[0]) : []);
      const keys = [...new Set([...Object.keys(a.body), ...Object.keys(b.body)])].filter((k) => JSON.stringify(a.body[k]) !== JSON.stringify(b.body[k]));
      const real = ignore === 'all' ? [] : keys.filter((k) => !ignored.has(k) || (a.type === 'vsphere_virtual_machine' && k === 'clone'));
      if (real.length) action = real.some((k) => (FORCES_NEW[a.type] ?? []).includes(k)) ? 'replace' : 'update';
    }
    if (action) terraform.push({ address, action, reasons: [], attributes: [], dataHolding: 'none' });
  }
  const marathon: MarathonChange[] = [];
  const apps = (t: Tree) => new Map([...t].filter(([p]) => p.startsWith('marathon/')).map(([p, text]) => [p.slice('marathon'.length, -'.json'.length), text]));
  const ab = apps(base);
  const aa = apps(target);
  for (const id of [...new Set([...ab.keys(), ...aa.keys()])].sort()) {
    const b = ab.get(id);
    const a = aa.get(id);
    if (a === b) continue;
    const action = !b ? 'create' : !a ? 'delete' : 'update';
    marathon.push({ id, action, restarts: true, attributes: [], dependsOn: a ? (JSON.parse(a).dependencies ?? []) : [] });
  }
  return {
    name: env, reviewedHash: '', counts: {}, risks: [],
    changes: { terraform, cloudInit: [], marathon, hadoop: [], patches: [], summary: [] },
  };
}
