// The one registry of output kinds (DESIGN §2, §5): each kind's generators and its pure diff.
// Adding a kind adds one entry here. review and apply receive the kinds from here; they import
// no generator themselves. A kind that needs another's output declares it (`needs`) and gets it
// from here: no kind imports another.
import { wireGenerators, type Generator, type KindDiff, type RegisteredGenerator } from '@infra/render';
import { cloudInitDiff, cloudInitGenerator } from '@infra/generator-cloud-init';
import { hadoopDiff, hadoopGenerator } from '@infra/generator-hadoop';
import { inventoryDiff, inventoryGenerator } from '@infra/generator-inventory';
import { marathonDiff, marathonGenerator } from '@infra/generator-marathon';
import { parityGenerator, terraformDiff, terraformGenerator } from '@infra/generator-terraform';
import { patchesDiff, patchesGenerator } from '@infra/generator-patches';
import { rolloutGenerator } from '@infra/generator-rollout';

export interface Kind {
  name: string;
  /** What it renders, with what each needs of other kinds (`needs`) and provides them. */
  generators: readonly RegisteredGenerator[];
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

/**
 * Every generator, each after the kinds it needs (registry order otherwise, which is the order
 * their checks are reported in), bound to exactly the outputs it declared. Built when the cli
 * loads: an unknown need or a cycle fails every command at once, naming it.
 */
export const GENERATORS: readonly Generator[] = wireGenerators(KINDS.flatMap((k) => k.generators));

/** Every kind's diff, in the order the review shows them. */
export const DIFFS: readonly KindDiff[] = KINDS.flatMap((k) => (k.diff ? [k.diff] : []));
