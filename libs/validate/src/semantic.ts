// Rules the JSON Schema cannot express: cross-references, uniqueness, address arithmetic, graph
// shape. Each rule adds located problems to one list, so every mistake is reported at once.
import {
  type Environment, type Problem, groupHosts, hostNames, hostOrdinal, inCidr, parseCidr, parseIp,
} from '@infra/model';
import { checkStateful } from './stateful-rules';
import { checkUpdate } from './update-rules';

type Report = (path: string, message: string) => void;

export function checkSemantics(env: Environment, brokenShape = false): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (path, message) => problems.push({ env: env.name, path, message });
  // Each check on its own: one that cannot read a broken part of the definition (which the
  // schema reports) must not silence the others.
  const stateful = (e: Environment) => { problems.push(...checkStateful(e)); };
  const update = (e: Environment) => { problems.push(...checkUpdate(e)); };
  for (const check of [checkNetwork, checkHosts, checkMesos, checkApps, stateful, update]) {
    try { check(env, report); } catch (err) { if (!brokenShape || !tolerated(err)) throw err; }
  }
  return problems;
}

/** What reading a field of the wrong shape throws. */
const tolerated = (err: unknown) => err instanceof TypeError || err instanceof RangeError;

function checkNetwork(env: Environment, report: Report): void {
  const seen = new Map<string, string>();
  for (const s of env.network.subnets) {
    const at = `network/subnets/${s.name}`;
    if (seen.has(s.name)) report(at, `subnet name "${s.name}" is used twice; names must be unique`);
    const cidr = parseCidr(s.cidr);
    if (!cidr) { report(`${at}/cidr`, `"${s.cidr}" is not an IPv4 network in CIDR form (e.g. 10.20.1.0/24)`); continue; }
    const gw = parseIp(s.gateway);
    if (gw === undefined) report(`${at}/gateway`, `"${s.gateway}" is not an IPv4 address`);
    else if (!inCidr(gw, cidr)) report(`${at}/gateway`, `${s.gateway} is outside ${s.cidr}`);
    for (const [other, otherCidr] of seen) {
      const o = parseCidr(otherCidr);
      if (o && (inCidr(cidr.base, o) || inCidr(o.base, cidr))) report(`${at}/cidr`, `${s.cidr} overlaps subnet ${other} (${otherCidr})`);
    }
    seen.set(s.name, s.cidr);
    if (env.site.kind === 'vsphere' && !s.portGroup) report(`${at}/portGroup`, 'a vSphere subnet needs the port group its VMs attach to');
    if (env.site.kind === 'aws' && (!s.zone || !env.site.zones.includes(s.zone))) {
      report(`${at}/zone`, `an AWS subnet needs a zone from site/zones (${env.site.zones.join(', ')}), got ${s.zone ?? 'none'}`);
    }
  }
  env.network.dnsServers.forEach((d) => parseIp(d) === undefined && report('network/dnsServers', `"${d}" is not an IPv4 address`));
}

interface Addressed { name: string; path: string; owner: string; ip: string | undefined; subnet: string }

function checkHosts(env: Environment, report: Report): void {
  const addressed: Addressed[] = [];
  const groupNames = new Set<string>();
  for (const group of env.hostGroups) {
    const at = `hostGroups/${group.name}`;
    if (typeof group.hosts !== 'number' && !Array.isArray(group.hosts)) continue; // the schema reports it
    if (groupNames.has(group.name)) report(at, `host group name "${group.name}" is used twice`);
    groupNames.add(group.name);
    if (!env.sizes[group.size]) report(`${at}/size`, `unknown size "${group.size}"; sizes are: ${Object.keys(env.sizes).sort().join(', ')}`);
    if (typeof group.hosts === 'number' && group.hosts < 0) report(`${at}/hosts`, 'host count cannot be negative');
    for (const host of groupHosts(group)) {
      if (host.ip === undefined) {
        report(`hosts/${host.name}/ip`, group.firstIp === undefined || hostOrdinal(host.name) !== undefined
          ? `no address: give it an "ip", or give group ${group.name} a "firstIp"`
          : 'no address: give it an "ip", or end its name with a number so it is allocated from the group\'s firstIp');
      }
      addressed.push({ name: host.name, path: `hosts/${host.name}`, owner: at, ip: host.ip, subnet: group.subnet });
    }
    if (group.firstIp !== undefined && parseIp(group.firstIp) === undefined) report(`${at}/firstIp`, `"${group.firstIp}" is not an IPv4 address`);
  }
  for (const cluster of env.hadoop) {
    if (!env.sizes[cluster.size]) report(`hadoop/${cluster.name}/size`, `unknown size "${cluster.size}"; sizes are: ${Object.keys(env.sizes).sort().join(', ')}`);
    for (const h of cluster.hosts) addressed.push({ name: h.name, path: `hadoop/${cluster.name}/hosts/${h.name}`, owner: `hadoop/${cluster.name}`, ip: h.ip, subnet: cluster.subnet });
  }
  const subnets = new Map(env.network.subnets.map((s) => [s.name, s]));
  // Each subnet's CIDR parsed once, not once per host in it.
  const cidrs = new Map(env.network.subnets.map((s) => [s, parseCidr(s.cidr)]));
  const byName = new Map<string, string>();
  const byIp = new Map<number, string>();
  for (const a of addressed) {
    const other = byName.get(a.name);
    if (other) report(`${a.path}`, `hostname ${a.name} is defined twice: in ${other} and in ${a.owner}`);
    else byName.set(a.name, a.owner);
    const subnet = subnets.get(a.subnet);
    if (!subnet) { report(`${a.path}`, `unknown subnet "${a.subnet}"; subnets are: ${[...subnets.keys()].sort().join(', ')}`); continue; }
    if (a.ip === undefined) continue;
    const ip = parseIp(a.ip);
    if (ip === undefined) { report(`${a.path}/ip`, `"${a.ip}" is not an IPv4 address`); continue; }
    const taken = byIp.get(ip);
    if (taken) report(`${a.path}/ip`, `${a.ip} is also used by ${taken}`);
    else byIp.set(ip, a.path);
    const cidr = cidrs.get(subnet);
    if (!cidr) continue;
    if (!inCidr(ip, cidr)) report(`${a.path}/ip`, `${a.ip} is outside its subnet ${subnet.name} (${subnet.cidr})`);
    else if (a.ip === subnet.gateway) report(`${a.path}/ip`, `${a.ip} is the gateway of subnet ${subnet.name}`);
    else if (ip === cidr.base || ip === cidr.base + cidr.size - 1) report(`${a.path}/ip`, `${a.ip} is the network or broadcast address of ${subnet.cidr}`);
  }
}

function checkMesos(env: Environment, report: Report): void {
  const masters = env.hostGroups.filter((g) => g.role === 'mesos-master');
  const agents = env.hostGroups.filter((g) => g.role === 'mesos-agent');
  if (masters.length > 1) report('hostGroups', `${masters.length} mesos-master groups (${masters.map((g) => g.name).join(', ')}); one ZooKeeper ensemble needs exactly one`);
  for (const g of masters) {
    const n = hostNames(g).length;
    if (n % 2 === 0) report(`hostGroups/${g.name}/hosts`, `${n} Mesos masters: the ZooKeeper ensemble and Mesos quorum need an odd number (3 or 5)`);
  }
  if ((agents.length > 0 || env.apps.length > 0) && masters.length === 0) report('hostGroups', 'Mesos agents or Marathon apps need a mesos-master group');
  for (const g of agents) {
    const names = new Set(hostNames(g));
    for (const host of Object.keys(g.racks ?? {}).sort()) {
      if (!names.has(host)) report(`hostGroups/${g.name}/racks/${host}`, `${host} is not a host of group ${g.name}`);
    }
  }
}

function checkApps(env: Environment, report: Report): void {
  const ids = new Set<string>();
  for (const app of env.apps) {
    if (ids.has(app.id)) report(`apps${app.id}`, `app id ${app.id} is used twice`);
    ids.add(app.id);
  }
  // Dependencies (targets, cycles) are checked in dependency-rules.ts, their one home.
  for (const app of env.apps) {
    const at = `apps${app.id}`;
    for (const key of Object.keys(app.env ?? {})) {
      if (/PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY/i.test(key)) {
        report(`${at}/env/${key}`, `looks like a secret: move it to "secrets" as secret("kv/<path>#<key>") so no value reaches rendered/`);
      }
      if (app.secrets?.[key]) report(`${at}/env/${key}`, `${key} is set both in env and in secrets`);
    }
  }
}
