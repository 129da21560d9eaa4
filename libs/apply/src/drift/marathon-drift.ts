import type { Tree } from '@infra/render';
import { MANAGED_BY, type MarathonClient } from '../marathon-client';
import { appDrift } from './marathon-normalise';
import type { MarathonDrift, SystemResult } from './types';

// Marathon read back: every app (one GET /v2/apps), the labelled ones compared with their
// rendered files, the unlabelled ones listed apart (DESIGN §3: never drift, never touched).

export interface MarathonDriftResult {
  system: SystemResult;
  drift: MarathonDrift[];
  unmanaged: string[];
}

export function renderedApps(tree: Tree): Map<string, Record<string, unknown>> {
  const apps = new Map<string, Record<string, unknown>>();
  for (const [p, text] of tree) {
    if (!p.startsWith('marathon/') || !p.endsWith('.json')) continue;
    const app = JSON.parse(text) as Record<string, unknown>;
    apps.set(String(app.id), app);
  }
  return apps;
}

const isManaged = (app: Record<string, unknown>) => ((app.labels ?? {}) as Record<string, unknown>)[MANAGED_BY.label] === MANAGED_BY.value;

export async function marathonDrift(applied: Tree, client: MarathonClient | undefined, env: string): Promise<MarathonDriftResult> {
  const rendered = renderedApps(applied);
  if (!client) {
    if (!rendered.size) return { system: { status: 'not-rendered', notes: [] }, drift: [], unmanaged: [] };
    return { system: { status: 'unreachable', notes: [`INFRA_MARATHON_URL is not set: set it to the Marathon of ${env} (and MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN), then run again.`] }, drift: [], unmanaged: [] };
  }
  let live: Record<string, unknown>[];
  try {
    live = await client.listApps();
  } catch (err) {
    return { system: { status: 'unreachable', notes: [(err as Error).message] }, drift: [], unmanaged: [] };
  }
  const drift: MarathonDrift[] = [];
  const unmanaged: string[] = [];
  const seen = new Set<string>();
  for (const app of live) {
    const id = String(app.id);
    if (!isManaged(app)) {
      unmanaged.push(id);
      continue;
    }
    seen.add(id);
    const want = rendered.get(id);
    if (!want) {
      drift.push({ id, kind: 'not-rendered', fields: [] });
      continue;
    }
    const fields = appDrift(want, app);
    if (fields.length) drift.push({ id, kind: 'changed', fields });
  }
  for (const id of rendered.keys()) if (!seen.has(id)) drift.push({ id, kind: 'missing', fields: [] });
  drift.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const status = drift.length ? 'drift' : rendered.size || live.length ? 'in-sync' : 'not-rendered';
  return { system: { status, notes: [] }, drift, unmanaged: unmanaged.sort() };
}
