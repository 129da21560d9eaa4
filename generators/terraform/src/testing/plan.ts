// What `terraform plan` would do between two renderings, for the change-set tests (no terraform
// binary can run here). It follows the providers' documented replacement rules (DESIGN §4) for
// the resource types we render, honours `lifecycle.ignore_changes` and
// `user_data_replace_on_change`, and carries a replacement to resources whose forcing attribute
// refers to the replaced one (an attachment follows its instance).
import type { FileMap } from '@infra/render';

export type PlannedAction = 'create' | 'update' | 'replace' | 'delete';

type Body = Record<string, unknown>;

/** Top-level attributes or blocks whose change forces a new resource, per type. */
const FORCES_NEW: Record<string, (path: string, body: Body) => boolean> = {
  vsphere_virtual_machine: (p) => p === 'replace_trigger' || p === 'clone',
  vsphere_virtual_disk: (p) => ['vmdk_path', 'datastore', 'datacenter', 'type'].includes(p),
  aws_instance: (p, body) => ['ami', 'subnet_id', 'private_ip', 'availability_zone'].includes(p)
    || (p === 'user_data_base64' && body.user_data_replace_on_change === true),
  aws_ebs_volume: (p) => ['availability_zone', 'encrypted', 'snapshot_id', 'kms_key_id'].includes(p),
  aws_volume_attachment: (p) => ['device_name', 'instance_id', 'volume_id'].includes(p),
  aws_subnet: (p) => ['vpc_id', 'cidr_block', 'availability_zone'].includes(p),
};

/** `type.name` → body, over every file of a rendering. */
export function resources(files: FileMap): Map<string, { type: string; body: Body }> {
  const out = new Map<string, { type: string; body: Body }>();
  for (const [file, text] of files) {
    if (!file.endsWith('.tf.json')) continue;
    const doc = JSON.parse(text) as { resource?: Record<string, Record<string, Body>>; data?: Record<string, Record<string, Body>>; locals?: Body };
    for (const [type, byName] of Object.entries(doc.resource ?? {})) {
      for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, { type, body });
    }
    // Data sources and locals take part as values: a reference to one that changed changes too.
    for (const [type, byName] of Object.entries(doc.data ?? {})) {
      for (const [name, body] of Object.entries(byName)) out.set(`data.${type}.${name}`, { type: `data.${type}`, body });
    }
    for (const [name, value] of Object.entries(doc.locals ?? {})) out.set(`local.${name}`, { type: 'local', body: { value } });
  }
  return out;
}

/** Leaf paths (`a.b.0.c`) of a body → JSON of the value, lists indexed, `[0]` for single blocks too. */
function leaves(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) {
    value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
}

/** Normalizes a block given as an object to `[0]`, as Terraform reads it. */
function normalize(path: string): string {
  return path.replace(/^(clone|disk)\./, '$1[0].').replace(/^clone\[0\]\.customize\./, 'clone[0].customize[0].');
}

function topLevel(path: string): string {
  return path.split(/[.[]/)[0];
}

function ignored(path: string, body: Body): boolean {
  const list = ((body.lifecycle as Body | undefined)?.ignore_changes ?? []) as string[];
  const p = normalize(path);
  return list.some((i) => p === i || p.startsWith(`${i}.`) || p.startsWith(`${i}[`));
}

const REF = /\$\{([a-z_][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?)/g;

/** Addresses a string refers to (`aws_instance.db-01`, `data.vsphere_virtual_machine.stemcell`, `local.x`). */
function references(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(REF)) {
    const parts = m[1].split('.');
    out.push(parts[0] === 'data' ? parts.join('.') : parts.slice(0, 2).join('.'));
  }
  return out;
}

export function plan(before: FileMap, after: FileMap): Map<string, PlannedAction> {
  const a = resources(before);
  const b = resources(after);
  const actions = new Map<string, PlannedAction>();
  // Values (data sources, locals) that differ: references to them count as changes.
  const changedValues = new Set([...b.keys()].filter((k) => (k.startsWith('data.') || k.startsWith('local.')) && a.has(k)
    && JSON.stringify(a.get(k)!.body) !== JSON.stringify(b.get(k)!.body)));
  for (const [address, { type, body }] of b) {
    if (type === 'local' || type.startsWith('data.')) continue;
    const old = a.get(address);
    if (!old) { actions.set(address, 'create'); continue; }
    const la = new Map<string, string>();
    const lb = new Map<string, string>();
    leaves(old.body, '', la);
    leaves(body, '', lb);
    let action: PlannedAction | undefined;
    for (const path of new Set([...la.keys(), ...lb.keys()])) {
      if (path.startsWith('lifecycle')) continue;
      const changed = la.get(path) !== lb.get(path)
        || references(lb.get(path) ?? '').some((r) => changedValues.has(r));
      if (!changed || ignored(path, body)) continue;
      const force = FORCES_NEW[type]?.(topLevel(path), body);
      action = force ? 'replace' : action ?? 'update';
      if (action === 'replace') break;
    }
    if (action) actions.set(address, action);
  }
  for (const address of a.keys()) {
    if (!b.has(address) && !address.startsWith('data.') && !address.startsWith('local.')) actions.set(address, 'delete');
  }
  // A replaced resource gets a new id: what refers to it through a forcing attribute follows.
  for (let grew = true; grew;) {
    grew = false;
    for (const [address, { type, body }] of b) {
      if (actions.get(address) === 'replace' || actions.get(address) === 'create' || !a.has(address)) continue;
      const l = new Map<string, string>();
      leaves(body, '', l);
      for (const [path, value] of l) {
        if (ignored(path, body) || !FORCES_NEW[type]?.(topLevel(path), body)) continue;
        if (references(value).some((r) => actions.get(r) === 'replace')) { actions.set(address, 'replace'); grew = true; break; }
      }
    }
  }
  return actions;
}

/** Addresses with the given action, sorted. */
export function withAction(actions: Map<string, PlannedAction>, action: PlannedAction): string[] {
  return [...actions].filter(([, a]) => a === action).map(([k]) => k).sort();
}
