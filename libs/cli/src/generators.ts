import type { Generator } from '@infra/render';
import { inventoryGenerator } from '@infra/generator-inventory';

/** Every generator, in the order their checks are reported. */
export const GENERATORS: readonly Generator[] = [inventoryGenerator];
