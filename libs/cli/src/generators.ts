import type { Generator } from '@infra/render';
import { hadoopGenerator } from '@infra/generator-hadoop';
import { inventoryGenerator } from '@infra/generator-inventory';
import { marathonGenerator } from '@infra/generator-marathon';

/** Every generator, in the order their checks are reported. */
export const GENERATORS: readonly Generator[] = [marathonGenerator, hadoopGenerator, inventoryGenerator];
