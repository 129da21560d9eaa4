import type { Generator } from '@infra/render';
import { inventoryGenerator } from '@infra/generator-inventory';
import { hadoopGenerator } from '@infra/generator-hadoop';

/** Every generator, in the order their checks are reported. */
export const GENERATORS: readonly Generator[] = [hadoopGenerator, inventoryGenerator];
