import type { Tree } from '@infra/render';
import type { HostShell } from '../hosts';
import type { PatchPlan } from '@infra/render';
import type { PatchDrift, SystemResult } from './types';

// Patches read back: on every host of every patch plan of the applied rendering (the hosts
// patched in place), the installed version of each package of the plan (`dpkg-query -W`),
// compared with the plan's. A package missing or at another version — older or newer: every
// server stays uniformly patched — is drift. The patch-level file apply leaves on the host is
// not trusted for this: it says what apply did, not what is installed now.

export interface PatchDriftResult {
  system: SystemResult;
  drift: PatchDrift[];
}

export function patchPlans(tree: Tree): PatchPlan[] {
  return [...tree.keys()].filter((p) => /^patches\/[^/]+\.json$/.test(p)).sort().map((p) => JSON.parse(tree.get(p)!) as PatchPlan);
}

/** `dpkg-query -W` output (package TAB version per line) → package → version. */
export function installedVersions(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [name, version] = line.split('\t');
    // dpkg-query prints "name:arch" for multi-arch packages.
    if (name && version !== undefined) out.set(name.replace(/:[a-z0-9]+$/, ''), version.trim());
  }
  return out;
}

export async function patchDrift(applied: Tree, shell: HostShell): Promise<PatchDriftResult> {
  const plans = patchPlans(applied).filter((p) => p.packages.length && p.steps.length);
  if (!plans.length) return { system: { status: 'not-rendered', notes: [] }, drift: [] };
  const drift: PatchDrift[] = [];
  const notes: string[] = [];
  for (const plan of plans) {
    const names = plan.packages.map((p) => p.name);
    for (const step of plan.steps) {
      const res = await shell.run(step.host, `dpkg-query -W ${names.join(' ')}`, 60_000);
      if (res.code === 255) {
        notes.push(`${step.host}: unreachable over ssh (${res.stderr.trim().split('\n').pop() ?? ''}); check the host and this runner's ssh key, then run again.`);
        continue;
      }
      const installed = installedVersions(res.stdout);
      for (const p of plan.packages) {
        const have = installed.get(p.name) ?? null;
        if (have !== p.version) drift.push({ group: plan.group, host: step.host, package: p.name, expected: p.version, installed: have });
      }
    }
  }
  return { system: { status: drift.length ? 'drift' : notes.length ? 'unreachable' : 'in-sync', notes }, drift };
}
