// What apply needs to know of the output kinds, handed in by the cli from its one registry
// (DESIGN §2: apply never imports a generator).

import type { DataHolding, VmMarks } from '@infra/render';

export type { DataHolding, VmMarks };

export interface ApplyKinds {
  /** The terraform kind's reader of a rendered VM's marks; undefined for a resource that is no VM. */
  vmMarks(type: string, body: Record<string, unknown>, name: string): VmMarks | undefined;
  /** The terraform kind's data-holding predicate, on a rendered resource body. */
  dataHolding(type: string, body: Record<string, unknown>): DataHolding;
  /** The app ids a rendered Marathon app depends on (the marathon kind's encoding). */
  marathonDependencies(app: Record<string, unknown>): string[];
}
