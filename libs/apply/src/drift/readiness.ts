import type { Tree } from '@infra/render';
import type { HostShell } from '../hosts';
import { countsOf, type MarathonClient } from '../marathon-client';
import { renderedApps } from './marathon-drift';

// The readiness report of a DR bring-up (README: Disaster recovery): after `infra apply aws-dr`,
// is the skeleton ready for data and traffic? Every server and Hadoop host answers over ssh,
// every rendered Marathon app runs at its instance count with its tasks healthy, every NameNode
// is out of safe mode; and the steps the tool does not do, listed from the rendered inventory
// (the definitions' facts): restoring each database's and each Hadoop cluster's data, and moving
// the traffic. Read-only.

export interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

export interface Readiness {
  env: string;
  ready: boolean;
  checks: Check[];
  manual: string[];
}

interface Inventory {
  environment?: string;
  servers?: { hostname: string; ip: string; role: string }[];
  hadoop?: { cluster: string; hostname: string; ip: string; roles: string[] }[];
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

export async function readiness(env: string, tree: Tree, shell: HostShell, marathon: MarathonClient | undefined): Promise<Readiness> {
  const inv = JSON.parse(tree.get('inventory.json') ?? '{}') as Inventory;
  const checks: Check[] = [];
  const hosts = [...(inv.servers ?? []).map((s) => ({ name: s.hostname, ip: s.ip })), ...(inv.hadoop ?? []).map((h) => ({ name: h.hostname, ip: h.ip }))];
  const up: Check[] = [];
  await pool(hosts, 8, async (h) => {
    const res = await shell.run(h.ip, 'true', 30_000);
    up.push({ what: `host ${h.name}`, ok: res.code === 0, detail: res.code === 0 ? `${h.ip} answers over ssh` : `${h.ip} does not answer over ssh (exit ${res.code}): ${res.stderr.trim().split('\n').pop() ?? ''}` });
  });
  checks.push(...up.sort((a, b) => (a.what < b.what ? -1 : 1)));

  const apps = [...renderedApps(tree).values()].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  if (apps.length && !marathon) checks.push({ what: 'marathon', ok: false, detail: 'INFRA_MARATHON_URL is not set: set it to the Marathon of the DR site, then run again.' });
  else if (apps.length) {
    let live: Map<string, Record<string, unknown>> | undefined;
    try {
      live = new Map((await marathon!.listApps()).map((a) => [String(a.id), a]));
    } catch (err) {
      checks.push({ what: 'marathon', ok: false, detail: (err as Error).message });
    }
    for (const app of live ? apps : []) {
      const id = String(app.id);
      const a = live!.get(id);
      if (!a) {
        checks.push({ what: `app ${id}`, ok: false, detail: 'not in Marathon' });
        continue;
      }
      const c = countsOf(a);
      const want = Number(app.instances ?? 1);
      const good = c.healthChecked ? c.tasksHealthy : c.tasksRunning;
      checks.push({ what: `app ${id}`, ok: good >= want, detail: `${c.healthChecked ? 'healthy' : 'running'} ${good}/${want}` });
    }
  }

  const namenodes = (inv.hadoop ?? []).filter((h) => h.roles.includes('namenode')).sort((a, b) => (a.hostname < b.hostname ? -1 : 1));
  for (const nn of namenodes) {
    const res = await shell.run(nn.ip, 'hdfs dfsadmin -safemode get', 60_000);
    const off = res.code === 0 && /Safe mode is OFF/.test(res.stdout);
    checks.push({ what: `namenode ${nn.hostname}`, ok: off, detail: off ? 'out of safe mode' : res.code === 0 ? `${res.stdout.trim()} (HDFS waits for enough blocks: load the data, or hdfs dfsadmin -safemode leave once it is known to be complete)` : `could not ask (exit ${res.code})` });
  }

  const manual: string[] = [];
  for (const db of (inv.servers ?? []).filter((s) => s.role === 'database').sort((a, b) => (a.hostname < b.hostname ? -1 : 1))) {
    manual.push(`Restore the most recent data of ${db.hostname} (${db.ip}) from production's latest backup: infra creates the empty database server, never its data.`);
  }
  for (const cluster of [...new Set((inv.hadoop ?? []).map((h) => h.cluster))].sort()) {
    manual.push(`Load the HBase/HDFS data of ${cluster} (ExportSnapshot of production's latest snapshots), then check it with hdfs fsck / before taking traffic.`);
  }
  if (apps.length) {
    const services = [...new Set(apps.map((a) => String(((a.labels ?? {}) as Record<string, string>).SERVICE_NAME ?? a.id)))].sort();
    manual.push(`Move the traffic: point the load balancers and DNS of ${services.join(', ')} at ${env}, and only after the data is restored; infra changes no DNS record.`);
  }
  return { env, ready: checks.every((c) => c.ok), checks, manual };
}

export function readinessText(r: Readiness): string {
  const bad = r.checks.filter((c) => !c.ok);
  return [
    `${r.env}: ${r.ready ? 'ready for data and traffic' : `not ready (${bad.length} of ${r.checks.length} checks failed)`}`,
    ...r.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: ${c.detail}`),
    'Steps infra does not do (in this order):',
    ...r.manual.map((m, i) => `  ${i + 1}. ${m}`),
  ].join('\n') + '\n';
}

export function readinessMarkdown(r: Readiness): string {
  return [
    `### ${r.ready ? '✅' : '❌'} ${r.env}: ${r.ready ? 'ready for data and traffic' : 'not ready'}`, '',
    '| check | | detail |', '|---|---|---|',
    ...r.checks.map((c) => `| ${c.what} | ${c.ok ? 'ok' : '**FAIL**'} | ${c.detail.replace(/\|/g, '\\|')} |`), '',
    '#### Steps infra does not do', '',
    ...r.manual.map((m, i) => `${i + 1}. ${m}`), '',
  ].join('\n');
}
