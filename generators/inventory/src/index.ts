import type { Generator } from '@infra/render';
import { FileMap, generatedMarker, stableJson } from '@infra/render';
import { forSite, patchLevel, resolve, RESOURCES, type Environment, type PerSiteKind } from '@infra/model';
import { inventoryOf } from './inventory';
import { markdownTable } from './table';
import { costSection, costSummary } from './cost';

export { behindReport, inventoryOf, serversBehind } from './inventory';
export type { Inventory, BehindRow } from './inventory';

/** What a rack is at each site kind, for the failure-domain section. */
const RACKS: PerSiteKind<[], { sentence: string; column: string }> = {
  vsphere: () => ({ sentence: 'Each rack is a DRS host group of its ESXi hosts; the VMs placed in it are pinned there by a mandatory VM-host rule.', column: 'ESXi hosts' }),
  aws: () => ({ sentence: 'Each rack is an availability zone; the VMs placed in it run in a subnet of that zone.', column: 'Zone' }),
};

/**
 * `INVENTORY.md` for people and `inventory.json` for tools, from the same facts: the resolved
 * environment's (capacity) and the user-data hashes of the cloud-init kind, which it needs.
 */
export const inventoryGenerator: Generator<'cloud-init'> = {
  name: 'inventory',
  needs: ['cloud-init'],
  generate(env, ctx) {
    const inv = inventoryOf(env, ctx.needs['cloud-init']);
    const cap = resolve(env).capacity;
    const racks = forSite(RACKS, env.site);
    const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'no supply');
    const instances = inv.apps.reduce((n, a) => n + a.instances, 0);
    const md = [
      `# Inventory: ${env.name}`,
      '',
      `<!-- ${generatedMarker('inventory')} -->`,
      '',
      `${env.description}. Stemcell ${env.stemcell.name} ${env.stemcell.version}; current patch level ${patchLevel(env.stemcell)}.`,
      '',
      `## Servers (${inv.servers.length})`,
      '',
      markdownTable(
        ['Hostname', 'Role', 'Group', 'IP', 'Size', 'CPUs', 'Memory MiB', 'Disk GiB', 'Data', 'Site', 'Rack', 'Stemcell', 'Patch level', 'Patching', 'User-data sha256'],
        inv.servers.map((s) => [s.hostname, s.role, s.group, s.ip, s.size, s.cpus, s.memoryMiB, s.diskGiB, s.data, s.site, s.rack || '-', s.stemcell, s.patchLevel, s.patching, s.userData.slice(0, 12)]),
      ),
      '',
      `## Bare-metal Hadoop/HBase hosts (${inv.hadoop.length})`,
      '',
      markdownTable(
        ['Hostname', 'Cluster', 'IP', 'Rack', 'Roles', 'State', 'Stemcell', 'Patch level', 'Patching'],
        inv.hadoop.map((h) => [h.hostname, h.cluster, h.ip, h.rack, h.roles.join(', '), h.state, h.stemcell, h.patchLevel, h.patching]),
      ),
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
      `## Failure domains (${Object.keys(env.site.racks ?? {}).length} racks)`,
      '',
      racks.sentence,
      '',
      markdownTable(['Rack', racks.column, 'Servers'], racksRows(env)),
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
    const cost = costSummary(env);
    return new FileMap([
      ['INVENTORY.md', md],
      // Keys in stableJson's order: the top level is not copied to be sorted.
      ['inventory.json', stableJson({ apps: inv.apps, capacity: RESOURCES.map((r) => cap.resources[r]), ...(cost ? { cost } : {}), environment: inv.environment, hadoop: inv.hadoop, servers: inv.servers })],
    ]);
  },
};

/** Each rack of the site, where it physically is, and the servers placed in it. */
function racksRows(env: Environment): string[][] {
  const racks = env.site.racks ?? {};
  // One pass over the hosts (sorted by name, so each rack's list is too), not one per rack.
  const byRack = new Map<string, string[]>();
  for (const h of resolve(env).hosts) {
    if (h.rack === undefined) continue;
    const list = byRack.get(h.rack);
    if (list) list.push(h.name);
    else byRack.set(h.rack, [h.name]);
  }
  return Object.keys(racks).sort().map((rack) => {
    const where = racks[rack];
    return [rack, Array.isArray(where) ? where.join(', ') : String(where), byRack.get(rack)?.join(', ') || '-'];
  });
}

export { inventoryDiff, diffInventory, diffParity } from './diff';
