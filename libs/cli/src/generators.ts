// The one registry of output kinds (DESIGN §2, §5): each kind's generators and its pure diff.
// Adding a kind adds one entry here. review and apply receive the kinds from here; they import
// no generator themselves.
import type { Generator, KindDiff } from '@infra/render';
import { cloudInitDiff, cloudInitGenerator } from '@infra/generator-cloud-init';
import { hadoopDiff, hadoopGenerator } from '@infra/generator-hadoop';
import { inventoryDiff, inventoryGenerator } from '@infra/generator-inventory';
import { marathonDiff, marathonGenerator } from '@infra/generator-marathon';
import { parityGenerator, terraformDiff, terraformGenerator } from '@infra/generator-terraform';
import { patchesDiff, patchesGenerator } from '@infra/generator-patches';
import { rolloutGenerator } from '@infra/generator-rollout';

export interface Kind {
  name: string;
  /** What it renders, in the order their checks are reported. */
  generators: readonly Generator[];
  /** How it reads two renderings as real-world changes. */
  diff?: KindDiff;
}

export const KINDS: readonly Kind[] = [
  { name: 'terraform', generators: [terraformGenerator], diff: terraformDiff },
  { name: 'cloud-init', generators: [cloudInitGenerator], diff: cloudInitDiff },
  { name: 'marathon', generators: [marathonGenerator], diff: marathonDiff },
  { name: 'hadoop', generators: [hadoopGenerator], diff: hadoopDiff },
  { name: 'patches', generators: [patchesGenerator], diff: patchesDiff },
  // The rollout of app-server groups (one server at a time); apply reads it, review shows it
  // through the hosts whose VMs change.
  { name: 'rollout', generators: [rolloutGenerator] },
  // Parity (PARITY.json) is read by the inventory's diff, with the inventory.
  { name: 'parity', generators: [parityGenerator] },
  { name: 'inventory', generators: [inventoryGenerator], diff: inventoryDiff },
];

/** Every generator, in the order their checks are reported. */
export const GENERATORS: readonly Generator[] = KINDS.flatMap((k) => k.generators);

/** Every kind's diff, in the order the review shows them. */
export const DIFFS: readonly KindDiff[] = KINDS.flatMap((k) => (k.diff ? [k.diff] : []));
