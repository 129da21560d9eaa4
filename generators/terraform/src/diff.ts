// The terraform kind's reading of two renderings: which resources Terraform will create, update,
// replace or destroy, by address, the attributes that change (old → new) and, in plain words,
// why a resource is replaced. Pure: it reads rendered *.tf.json text and nothing else.
//
// What forces a new resource is Terraform's and its providers' rule (DESIGN §4): anything under
// `clone` of a vsphere_virtual_machine (its address included), its `replace_trigger`; `ami`,
// `subnet_id` and `private_ip` of an aws_instance, and its user data when
// `user_data_replace_on_change`. `lifecycle.ignore_changes` hides an attribute from both.
// User data is compared decoded (gzip+base64 → cloud-config text), never shown as base64.
import { lineDiff, type AttributeChange, type KindDiff, type TerraformAction, type TerraformChange, type Tree } from '@infra/render';
import { dataHolding } from './data-holding';
import { markMap, vmMarks } from './marks';

// Loaded when a diff reads gzipped user-data: render and check, which load this kind too, never do.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zlib = () => require('node:zlib') as typeof import('node:zlib');

type Body = Record<string, unknown>;

interface Resource {
  type: string;
  name: string;
  body: Body;
}

/** Attributes (dotted paths, or a path prefix) that force a new resource, per resource type. */
const FORCES_NEW: Record<string, (path: string, body: Body) => boolean> = {
  vsphere_virtual_machine: (p) => p === 'clone' || p.startsWith('clone.') || p === 'replace_trigger',
  aws_instance: (p, body) => ['ami', 'subnet_id', 'private_ip', 'availability_zone'].includes(p) || (USER_DATA_PATHS.has(p) && body.user_data_replace_on_change === true),
  vsphere_virtual_disk: (p) => ['vmdk_path', 'datastore', 'datacenter', 'type'].includes(p),
  aws_ebs_volume: (p) => ['availability_zone', 'snapshot_id', 'encrypted', 'kms_key_id'].includes(p),
  aws_volume_attachment: (p) => ['device_name', 'instance_id', 'volume_id'].includes(p),
  aws_subnet: (p) => ['vpc_id', 'cidr_block', 'availability_zone'].includes(p),
  aws_security_group: (p) => ['name', 'vpc_id', 'description'].includes(p),
  vsphere_compute_cluster_vm_group: (p) => ['name', 'compute_cluster_id'].includes(p),
  vsphere_compute_cluster_host_group: (p) => ['name', 'compute_cluster_id'].includes(p),
};

/** Where a rendered VM carries its user-data (vSphere guestinfo, AWS). */
const USER_DATA_PATHS = new Set(['extra_config.guestinfo.userdata', 'user_data_base64', 'user_data']);

/** Meta-arguments and comments: they change what Terraform checks, not what it does. */
const NOT_REAL = (p: string) => p === '//' || p.startsWith('//.') || p === 'lifecycle' || p.startsWith('lifecycle.') || p === 'depends_on' || p === 'provider';

export const terraformDiff: KindDiff = {
  kind: 'terraform',
  // Failure domains of the hosts (racks, zones) are in the inventory, not in Terraform JSON.
  needs: (path) => path === 'inventory.json',
  diff: (before, after) => ({ terraform: diffTerraform(before, after), summary: settingsChanges(before, after) }),
};

/**
 * What changes outside resources: data sources (the stemcell template a VM is cloned from),
 * providers, the backend, variables. Terraform does nothing to the world for them by itself, but
 * a reviewer should see them.
 */
export function settingsChanges(before: Tree, after: Tree): string[] {
  const blocks = (tree: Tree) => {
    const out = new Map<string, string>();
    for (const [path, text] of tree) {
      if (!path.startsWith('terraform/') || !path.endsWith('.tf.json')) continue;
      const doc = JSON.parse(text) as Body;
      for (const [type, byName] of Object.entries((doc.data ?? {}) as Record<string, Body>)) for (const [name, body] of Object.entries(byName)) out.set(`data.${type}.${name}`, JSON.stringify(body));
      for (const key of ['provider', 'terraform', 'variable', 'output'] as const) for (const [name, body] of Object.entries((doc[key] ?? {}) as Body)) out.set(`${key}.${name}`, JSON.stringify(body));
    }
    return out;
  };
  const a = blocks(before);
  const b = blocks(after);
  const lines: string[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x === y) continue;
    if (x === undefined) { lines.push(`terraform: ${key} added`); continue; }
    if (y === undefined) { lines.push(`terraform: ${key} removed`); continue; }
    const fx = flatten(JSON.parse(x));
    const fy = flatten(JSON.parse(y));
    const diffs = [...new Set([...fx.keys(), ...fy.keys()])].sort().filter((k) => JSON.stringify(fx.get(k)) !== JSON.stringify(fy.get(k)))
      .map((k) => `${k}: ${show(fx.get(k) ?? '(none)')} → ${show(fy.get(k) ?? '(none)')}`);
    lines.push(`terraform: ${key} changes (${diffs.join('; ')})`);
  }
  return lines;
}

export function diffTerraform(before: Tree, after: Tree): TerraformChange[] {
  const a = readSide(before);
  const b = readSide(after);
  // Parsed only when a VM changes: the inventory of a large site is megabytes.
  let parsed: { before: Map<string, string>; after: Map<string, string> } | undefined;
  const racks = () => (parsed ??= { before: racksOf(before), after: racksOf(after) });
  const changedLocals = [...new Set([...a.locals.keys(), ...b.locals.keys()])].filter((k) => a.locals.get(k) !== b.locals.get(k));
  const changes: TerraformChange[] = [];
  const replaced = new Set<string>();
  for (const address of [...new Set([...a.resources.keys(), ...b.resources.keys()])].sort()) {
    const old = a.resources.get(address);
    const now = b.resources.get(address);
    if (old && now && unchanged(old, now, changedLocals)) continue;
    const change = old && now ? compare(address, old, now, a.locals, b.locals) : old ? whole(address, 'delete', old) : whole(address, 'create', now!);
    if (!change) continue;
    const side = (now && change.action === 'create') ? now : old ?? now!;
    Object.assign(change, marks(side, change.action === 'create' ? racks().after : racks().before));
    changes.push(change);
    if (change.action === 'replace') replaced.add(address);
  }
  // A resource pinned to a replaced one by an attribute that forces a new resource (a volume
  // attachment's instance_id) is replaced too, though its own text does not change.
  const listed = new Set(changes.map((c) => c.address));
  for (const [address, res] of replaced.size ? b.resources : []) {
    if (!a.resources.has(address) || listed.has(address)) continue;
    const forces = FORCES_NEW[res.type];
    if (!forces) continue;
    const hit = [...flatten(res.body)].find(([p, v]) => typeof v === 'string' && forces(p, res.body) && [...replaced].some((r) => v.includes(`\${${r}.`)));
    if (!hit) continue;
    changes.push({ address, action: 'replace', reasons: [`${hit[0]} refers to ${String(hit[1]).replace(/^\$\{|\.\w+\}$/g, '')}, which is replaced`], attributes: [], dataHolding: dataHolding(res.type, res.body), ...marks(res, racks().before) });
  }
  return changes.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

// ---- reading --------------------------------------------------------------------------------------

function readSide(tree: Tree): { resources: Map<string, Resource>; locals: Map<string, string> } {
  const resources = new Map<string, Resource>();
  const locals = new Map<string, string>();
  for (const [path, text] of tree) {
    if (!path.startsWith('terraform/') || !path.endsWith('.tf.json')) continue;
    const doc = JSON.parse(text) as Body;
    for (const [k, v] of Object.entries((doc.locals ?? {}) as Body)) if (typeof v === 'string') locals.set(k, v);
    for (const [type, byName] of Object.entries((doc.resource ?? {}) as Record<string, Record<string, Body>>)) {
      for (const [name, body] of Object.entries(byName)) resources.set(`${type}.${name}`, { type, name, body });
    }
  }
  return { resources, locals };
}

function racksOf(tree: Tree): Map<string, string> {
  const text = tree.get('inventory.json');
  if (!text) return new Map();
  const inv = JSON.parse(text) as { servers?: { hostname: string; rack: string }[] };
  return new Map((inv.servers ?? []).filter((s) => s.rack).map((s) => [s.hostname, s.rack]));
}

/** Leaves of a resource body by dotted path; lists are leaves (compared whole). */
function flatten(body: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length) {
    for (const [k, v] of Object.entries(body as Body)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, body);
  return out;
}

/** `${local.NAME}` → the local's value, so a change of the local shows on its users. */
function resolve(value: unknown, locals: Map<string, string>): unknown {
  if (typeof value !== 'string') return value;
  const m = /^\$\{local\.([\w-]+)\}$/.exec(value);
  return m && locals.has(m[1]) ? locals.get(m[1]) : value;
}

/** The cloud-config text of rendered user data (base64, gzip+base64), or the value itself. */
export function decodeUserData(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? '' : JSON.stringify(value);
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value) || value.length % 4 !== 0) return value;
  const bytes = Buffer.from(value, 'base64');
  try {
    return (bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib().gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    return value;
  }
}

// ---- comparing ------------------------------------------------------------------------------------

/** Same text and no changed local used: nothing to compare (most resources of a changed file). */
function unchanged(old: Resource, now: Resource, changedLocals: string[]): boolean {
  const text = JSON.stringify(now.body);
  return text === JSON.stringify(old.body) && !changedLocals.some((l) => text.includes(`\${local.${l}}`));
}

function ignored(body: Body): (path: string) => boolean {
  const list = (body.lifecycle as Body | undefined)?.ignore_changes;
  if (list === 'all') return () => true;
  if (!Array.isArray(list)) return () => false;
  const paths = list.map((x) => String(x).replace(/\[\d+\]/g, '').replace(/\["([^"]+)"\]/g, '.$1'));
  return (p) => paths.some((i) => p === i || p.startsWith(`${i}.`));
}

function compare(address: string, old: Resource, now: Resource, oldLocals: Map<string, string>, nowLocals: Map<string, string>): TerraformChange | undefined {
  const before = flatten(old.body);
  const after = flatten(now.body);
  const skip = ignored(now.body);
  const forces = FORCES_NEW[now.type] ?? (() => false);
  const attributes: AttributeChange[] = [];
  const forcing: AttributeChange[] = [];
  let encodingOnly = false;
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    if (NOT_REAL(path) || skip(path)) continue;
    const x = resolve(before.get(path), oldLocals);
    const y = resolve(after.get(path), nowLocals);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    let change: AttributeChange;
    if (USER_DATA_PATHS.has(path)) {
      const lines = lineDiff(decodeUserData(x), decodeUserData(y));
      if (!lines.length) encodingOnly = true;
      change = { path, lines };
    } else change = { path, ...(x === undefined ? {} : { before: x }), ...(y === undefined ? {} : { after: y }) };
    attributes.push(change);
    if (forces(path, now.body)) forcing.push(change);
  }
  if (!attributes.length) return undefined;
  const action: TerraformAction = forcing.length ? 'replace' : 'update';
  const reasons = action === 'replace' ? replaceReasons(old, now, forcing, encodingOnly) : encodingOnly ? ['user-data encoding changed; the decoded cloud-config is identical'] : [];
  return { address, action, reasons, attributes, dataHolding: dataHolding(old.type, old.body), ...(encodingOnly ? { encodingOnly } : {}) };
}

function whole(address: string, action: 'create' | 'delete', res: Resource): TerraformChange {
  return { address, action, reasons: [], attributes: [], dataHolding: dataHolding(res.type, res.body) };
}

/** group, role, host and failure domain of a VM from its own marks (annotation or tags). */
function marks(res: Resource, racks: Map<string, string>): Pick<TerraformChange, 'group' | 'role' | 'host' | 'failureDomain'> {
  const m = vmMarks(res.type, res.body, res.name);
  if (!m) return {};
  const domain = racks.get(m.host) || m.rack;
  return {
    ...(m.group ? { group: m.group } : {}),
    ...(m.role ? { role: m.role } : {}),
    host: m.host,
    ...(domain ? { failureDomain: domain } : {}),
  };
}

const markMapOf = (res: Resource) => markMap(res.type, res.body) ?? {};

function triggerParts(body: Body): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of String(body.replace_trigger ?? '').split(/\s+/)) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** "stemcell ubuntu-trusty-hardened 3468.21 → 3468.22" (the name once when it stays). */
function stemcellReason(before = '?', after = '?'): string {
  const [n0, v0] = before.split(/[ /](?=[^ /]+$)/);
  const [n1, v1] = after.split(/[ /](?=[^ /]+$)/);
  return n0 === n1 && v0 && v1 ? `stemcell ${n0} ${v0} → ${v1}` : `stemcell ${before} → ${after}`;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Why a resource is replaced, in the words an operator uses: stemcell, user-data, address. */
function replaceReasons(old: Resource, now: Resource, forcing: AttributeChange[], encodingOnly: boolean): string[] {
  const reasons: string[] = [];
  const mOld = markMapOf(old);
  const mNow = markMapOf(now);
  const group = mNow.group ?? mNow['hadoop-cluster'] ?? now.name;
  const stemcellOld = mOld.stemcell ?? triggerParts(old.body).stemcell;
  const stemcellNew = mNow.stemcell ?? triggerParts(now.body).stemcell;
  for (const a of forcing) {
    if (a.path === 'replace_trigger') {
      const [t0, t1] = [triggerParts(old.body), triggerParts(now.body)];
      if (t0.stemcell !== t1.stemcell) reasons.push(stemcellReason(stemcellOld, stemcellNew));
      if (t0['user-data'] !== t1['user-data']) reasons.push(`user-data of group ${group} changed`);
      if (t0.stemcell === t1.stemcell && t0['user-data'] === t1['user-data']) reasons.push(`replace_trigger ${show(a.before)} → ${show(a.after)}`);
    } else if (USER_DATA_PATHS.has(a.path)) {
      reasons.push(encodingOnly ? `user-data of group ${group}: encoding changed, the decoded cloud-config is identical (still replaces the instance)` : `user-data of group ${group} changed`);
    } else if (a.path === 'ami') {
      reasons.push(stemcellOld !== stemcellNew ? `${stemcellReason(stemcellOld, stemcellNew)} (ami ${show(a.before)} → ${show(a.after)})` : `ami ${show(a.before)} → ${show(a.after)}`);
    } else if (a.path === 'private_ip' || a.path.endsWith('.ipv4_address')) {
      reasons.push(`address ${show(a.before)} → ${show(a.after)} (forces a new resource)`);
    } else {
      reasons.push(`${a.path} ${a.before === undefined ? '(added)' : show(a.before)} → ${a.after === undefined ? '(removed)' : show(a.after)} (forces a new resource)`);
    }
  }
  return [...new Set(reasons)];
}
