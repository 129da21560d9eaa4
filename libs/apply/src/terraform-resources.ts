import type { Tree } from '@infra/render';
import type { ApplyKinds } from './kinds';

// Reading a rendered tree's Terraform resources and hosts: what apply needs to judge a planned
// action (is it data-holding? which role, group and failure domain does the VM belong to?).

export interface RenderedResource {
  address: string;
  type: string;
  name: string;
  body: Record<string, unknown>;
}

export const VM_TYPES = new Set(['vsphere_virtual_machine', 'aws_instance']);

export function resourcesOf(tree: Tree): Map<string, RenderedResource> {
  const out = new Map<string, RenderedResource>();
  for (const [p, text] of tree) {
    if (!/^terraform\/[^/]+\.tf\.json$/.test(p)) continue;
    const doc = JSON.parse(text) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    for (const [type, byName] of Object.entries(doc.resource ?? {})) {
      for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, { address: `${type}.${name}`, type, name, body });
    }
  }
  return out;
}

export interface VmFacts {
  hostname: string;
  role: string;
  group: string;
  /** The rack (vSphere) or zone (AWS); '' when the host has none. */
  failureDomain: string;
}

/**
 * Role, group and failure domain of a VM resource, from its marks (read by the terraform kind's
 * reader, the one the review reads them with) and the inventory: the rack (the finer domain,
 * which capacity is checked against), else, on AWS, its subnet's zone.
 */
export function vmFacts(r: RenderedResource, inventory: Map<string, { rack?: string; group?: string; role?: string }>, kinds: Pick<ApplyKinds, 'vmMarks'>, resources?: Map<string, RenderedResource>): VmFacts {
  const marks = kinds.vmMarks(r.type, r.body, r.name) ?? { host: r.name };
  const inv = inventory.get(marks.host) ?? {};
  return {
    hostname: marks.host,
    role: marks.role ?? inv.role ?? 'unknown',
    group: marks.group ?? inv.group ?? marks.host,
    failureDomain: inv.rack || zoneOf(r, resources) || '',
  };
}

function zoneOf(r: RenderedResource, resources?: Map<string, RenderedResource>): string | undefined {
  if (typeof r.body.availability_zone === 'string') return r.body.availability_zone;
  const m = /^\$\{(aws_subnet\.[\w-]+)\.id\}$/.exec(String(r.body.subnet_id ?? ''));
  const zone = m ? resources?.get(m[1])?.body.availability_zone : undefined;
  return typeof zone === 'string' ? zone : undefined;
}

/** hostname → inventory facts, from inventory.json of the tree (if it has one). */
export function inventoryOf(tree: Tree): Map<string, { rack?: string; group?: string; role?: string }> {
  const text = tree.get('inventory.json');
  if (!text) return new Map();
  const doc = JSON.parse(text) as { servers?: { hostname: string; rack?: string; group?: string; role?: string }[] };
  return new Map((doc.servers ?? []).map((s) => [s.hostname, s]));
}
