// The one reader of the marks a rendered VM carries (vSphere: `annotation` lines `key: value`;
// AWS: its tags), owned by the kind that writes them (vsphere.ts, aws.ts). The data-holding
// predicate, the diff and, through the cli's registry, apply all read VMs through it, so the
// three cannot read one VM two ways.

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

/** Who a rendered VM is, from its own marks. */
export interface VmMarks {
  /** Its hostname: the vSphere VM's name, the AWS instance's Name tag, else the resource name. */
  host: string;
  /** Its host group, or a Hadoop instance's cluster. */
  group?: string;
  role?: string;
  /** The rack it says it is in (a Hadoop instance), if any. */
  rack?: string;
  /** Where its data lives: own-disk, on-vm, rebuildable or none. */
  data?: string;
}

/** The identity of a VM resource `name` from its marks, or undefined for a resource that is no VM. */
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
