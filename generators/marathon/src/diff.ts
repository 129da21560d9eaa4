// The marathon kind's reading of two renderings: apps created, updated and deleted, the fields an
// update changes, and whether Marathon restarts every task (any change but `instances` makes a new
// app version, which a deployment rolls out task by task) or only scales.
import type { AttributeChange, KindDiff, MarathonChange, Tree } from '@infra/render';

type App = Record<string, unknown> & { id?: string; instances?: number; dependencies?: string[] };

const isApp = (path: string) => path.startsWith('marathon/') && path.endsWith('.json');

export const marathonDiff: KindDiff = {
  kind: 'marathon',
  diff: (before, after) => ({ marathon: diffMarathon(before, after) }),
};

export function diffMarathon(before: Tree, after: Tree): MarathonChange[] {
  const a = appsOf(before);
  const b = appsOf(after);
  const out: MarathonChange[] = [];
  for (const id of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const old = a.get(id);
    const now = b.get(id);
    if (old && now) {
      const attributes = compare(old, now);
      if (!attributes.length) continue;
      out.push({
        id, action: 'update', restarts: attributes.some((x) => x.path !== 'instances'), attributes,
        dependsOn: [...(now.dependencies ?? [])].sort(), instancesBefore: old.instances, instancesAfter: now.instances,
      });
    } else if (now) {
      out.push({ id, action: 'create', restarts: false, attributes: [], dependsOn: [...(now.dependencies ?? [])].sort(), instancesAfter: now.instances });
    } else {
      out.push({ id, action: 'delete', restarts: false, attributes: [], dependsOn: [...(old!.dependencies ?? [])].sort(), instancesBefore: old!.instances });
    }
  }
  return out;
}

function appsOf(tree: Tree): Map<string, App> {
  const out = new Map<string, App>();
  for (const [path, text] of tree) {
    if (!isApp(path)) continue;
    const app = JSON.parse(text) as App;
    out.set(app.id ?? `/${path.slice('marathon/'.length, -'.json'.length)}`, app);
  }
  return out;
}

/**
 * Changed fields by dotted path. Objects (env, labels, container.docker) are compared key by key;
 * lists (constraints, healthChecks, portMappings, dependencies) whole.
 */
function compare(old: App, now: App): AttributeChange[] {
  const x = flatten(old);
  const y = flatten(now);
  const out: AttributeChange[] = [];
  for (const path of [...new Set([...x.keys(), ...y.keys()])].sort()) {
    const p = x.get(path);
    const q = y.get(path);
    if (JSON.stringify(p) === JSON.stringify(q)) continue;
    out.push({ path, ...(p === undefined ? {} : { before: p }), ...(q === undefined ? {} : { after: q }) });
  }
  return out;
}

function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
  return out;
}
