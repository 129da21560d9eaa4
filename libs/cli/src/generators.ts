import type { Generator } from '@infra/render';
import { cloudInitGenerator } from '@infra/generator-cloud-init';
import { hadoopGenerator } from '@infra/generator-hadoop';
import { inventoryGenerator } from '@infra/generator-inventory';
import { marathonGenerator } from '@infra/generator-marathon';
import { parityGenerator, terraformGenerator } from '@infra/generator-terraform';
import { patchesGenerator } from '@infra/generator-patches';
import { rolloutGenerator } from '@infra/generator-rollout';

/** Every generator, in the order their checks are reported. */
export const GENERATORS: readonly Generator[] = [
  terraformGenerator,
  cloudInitGenerator,
  marathonGenerator,
  hadoopGenerator,
  patchesGenerator,
  rolloutGenerator,
  parityGenerator,
  inventoryGenerator,
];
