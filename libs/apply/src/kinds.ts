// What apply needs to know of the output kinds, handed in by the cli from its one registry
// (DESIGN §2: apply never imports a generator).

export type DataHolding = 'data' | 'stateful-vm' | 'none';

export interface ApplyKinds {
  /** The terraform kind's data-holding predicate, on a rendered resource body. */
  dataHolding(type: string, body: Record<string, unknown>): DataHolding;
  /** The app ids a rendered Marathon app depends on (the marathon kind's encoding). */
  marathonDependencies(app: Record<string, unknown>): string[];
}
