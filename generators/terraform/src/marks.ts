// The one reader of the marks a rendered VM carries (vSphere: `annotation` lines `key: value`;
// AWS: its tags), owned by the kind that writes them (vsphere.ts, aws.ts). The data-holding
// predicate, the diff and, through the cli's registry, apply all read VMs through it, so the
// three cannot read one VM two ways.

import type { VmMarks } from '@infra/render';

export type { VmMarks };

type Body = Record<string, unknown>;

/** Every mark of a VM resource by key, or undefined for a resource that is no VM. */
export function markMap(type: string, body: Body): Record<string, string> | undefined {
  if (type === 'aws_instance') return { ...((body.tags ?? {}) as Record<string, string>) };
  if (type !== 'vsphere_virtual_machine') return undefined;
  const out: Record<string, string> = {};
  for (const line of String(body.annotation ?? '').split('\n')) {
    const m = /^([a-z-]+): (.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Who a rendered VM is, from its own marks; undefined for a resource that is no VM. */
export function vmMarks(type: string, body: Body, name: string): VmMarks | undefined {
  const m = markMap(type, body);
  if (!m) return undefined;
  const host = type === 'vsphere_virtual_machine' ? String(body.name ?? name) : (m.Name ?? name);
  const group = m.group ?? m['hadoop-cluster'];
  return {
    host,
    ...(group ? { group } : {}),
    ...(m.role ? { role: m.role } : {}),
    ...(m.rack ? { rack: m.rack } : {}),
    ...(m.data ? { data: m.data } : {}),
  };
}
