/**
 * A mistake in a definition, located by stable names (`hosts/db-ledger-01/ip`), never list
 * positions. Validation and generators report every problem at once as a list of these.
 */
export interface Problem {
  /** Environment name. */
  env: string;
  /** Where in the definition, e.g. "hostGroups/agent/hosts/agent-03/ip". */
  path: string;
  message: string;
}

/** Thrown when a definition cannot be rendered; the CLI prints every problem and exits 2. */
export class InvalidDefinition extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(p: Problem): string {
  return `[environments/${p.env}] ${p.path}: ${p.message}`;
}
