import { forSite, hostsOf, type AwsSite, type Environment, type PerSiteKind } from '@infra/model';
import { markdownTable } from './table';

// What an AWS environment (the DR skeleton) costs to run, in the units a price list uses:
// instances by role and instance type, and the EBS volumes with their sizes. No prices: they
// change by region and month; multiply by the region's on-demand price list. Only for AWS sites:
// on vSphere the hardware is already paid for.

export interface CostRow {
  role: string;
  instanceType: string;
  count: number;
  /** Root volume (gp3) of each instance, GiB. */
  volumeGiB: number;
}

export interface CostSummary {
  rows: CostRow[];
  instances: number;
  volumes: number;
  volumeGiB: number;
}

/**
 * What each site kind costs to run, and whose price list to multiply by, when the tool can say:
 * a new site kind says whether it can.
 */
const SITE_COST: PerSiteKind<[Environment], { summary: CostSummary; priceList: string } | undefined> = {
  vsphere: () => undefined,
  aws: (site, env) => ({ summary: awsCost(env, site), priceList: site.region }),
};

export function costSummary(env: Environment): CostSummary | undefined {
  return forSite(SITE_COST, env.site, env)?.summary;
}

function awsCost(env: Environment, site: AwsSite): CostSummary {
  const counts = new Map<string, CostRow>();
  const add = (role: string, size: string) => {
    const row: CostRow = { role, instanceType: site.instanceTypes[size] ?? `(no instance type for size ${size})`, count: 0, volumeGiB: env.sizes[size]?.diskGiB ?? 0 };
    const key = `${row.role}\0${row.instanceType}\0${row.volumeGiB}`;
    (counts.get(key) ?? counts.set(key, row).get(key)!).count++;
  };
  for (const h of hostsOf(env)) add(h.role, h.size);
  for (const c of env.hadoop) for (const _ of c.hosts) add('hadoop', c.size);
  const rows = [...counts.values()].sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : a.instanceType < b.instanceType ? -1 : a.instanceType > b.instanceType ? 1 : a.volumeGiB - b.volumeGiB));
  const instances = rows.reduce((n, r) => n + r.count, 0);
  return { rows, instances, volumes: instances, volumeGiB: rows.reduce((n, r) => n + r.count * r.volumeGiB, 0) };
}

/** The INVENTORY.md section; empty for a site that is not AWS. */
export function costSection(env: Environment): string[] {
  const priced = forSite(SITE_COST, env.site, env);
  if (!priced) return [];
  const cost = priced.summary;
  return [
    `## What it costs to run (${cost.instances} instances, ${cost.volumeGiB} GiB of EBS)`,
    '',
    markdownTable(['Role', 'Instance type', 'Count', 'Root volume (gp3) GiB each', 'Volume GiB total'], cost.rows.map((r) => [r.role, r.instanceType, r.count, r.volumeGiB, r.count * r.volumeGiB])),
    '',
    `Multiply by the ${priced.priceList} on-demand prices of these instance types and of gp3 storage; prices are not computed here because they change.`,
    '',
  ];
}
