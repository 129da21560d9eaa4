import type { Generator } from '@infra/render';
import { generatedMarker, stableJson } from '@infra/render';
import { capacity, RESOURCES } from '@infra/generator-marathon';
import { inventoryOf } from './inventory';
import { markdownTable } from './table';
import { costSection, costSummary } from './cost';

export { inventoryOf } from './inventory';
export type { Inventory } from './inventory';

/** `INVENTORY.md` for people and `inventory.json` for tools, from the same facts. */
export const inventoryGenerator: Generator = {
  name: 'inventory',
  generate(env) {
    const inv = inventoryOf(env);
    const cap = capacity(env);
    const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'no supply');
    const instances = inv.apps.reduce((n, a) => n + a.instances, 0);
    const md = [
      `# Inventory: ${env.name}`,
      '',
      `<!-- ${generatedMarker('inventory')} -->`,
      '',
      `${env.description}. Stemcell ${env.stemcell.name} ${env.stemcell.version}.`,
      '',
      `## Servers (${inv.servers.length})`,
      '',
      markdownTable(
        ['Hostname', 'Role', 'Group', 'IP', 'Size', 'CPUs', 'Memory MiB', 'Disk GiB', 'Site', 'Rack', 'Stemcell', 'User-data sha256'],
        inv.servers.map((s) => [s.hostname, s.role, s.group, s.ip, s.size, s.cpus, s.memoryMiB, s.diskGiB, s.site, s.rack || '-', s.stemcell, s.userData.slice(0, 12)]),
      ),
      '',
      `## Bare-metal Hadoop/HBase hosts (${inv.hadoop.length})`,
      '',
      markdownTable(['Hostname', 'Cluster', 'IP', 'Rack', 'Roles', 'State'], inv.hadoop.map((h) => [h.hostname, h.cluster, h.ip, h.rack, h.roles.join(', '), h.state])),
      '',
      `## Marathon apps (${inv.apps.length} apps, ${instances} instances)`,
      '',
      markdownTable(
        ['App', 'Runtime', 'Sidecar', 'Instances', 'CPUs', 'Mem MiB', 'Disk MiB', 'Depends on'],
        inv.apps.map((a) => [a.id, a.runtime, a.sidecar ? 'yes' : 'no', a.instances, a.cpus, a.mem, a.disk, a.dependsOn.join(', ') || '-']),
      ),
      '',
      'CPUs, memory and disk are per instance as defined; the capacity below adds the sidecar where there is one.',
      '',
      `## Capacity of the Mesos agents (${cap.agents} agents, ${cap.domains.length} failure domains)`,
      '',
      markdownTable(
        ['Resource', 'Demand', 'Supply', 'Utilization', 'Largest failure domain', 'Supply after losing it', 'Utilization after loss'],
        RESOURCES.map((r) => {
          const c = cap.resources[r];
          return [`${r} (${c.unit})`, c.demand, c.supply, pct(c.utilization), c.largestDomain ? `${c.largestDomain.kind} ${c.largestDomain.name} (${c.largestDomain.amount})` : '-', c.supplyAfterLoss, pct(c.utilizationAfterLoss)];
        }),
      ),
      '',
      ...costSection(env),
    ].join('\n');
    return new Map([
      ['INVENTORY.md', md],
      ['inventory.json', stableJson({ ...inv, capacity: RESOURCES.map((r) => cap.resources[r]), ...(costSummary(env) ? { cost: costSummary(env) } : {}) })],
    ]);
  },
};
