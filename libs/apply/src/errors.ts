// The two ways an apply stops, mapped to DESIGN §3's exit codes by the cli:
// a safety rule refused it (3, nothing applied) or the world outside failed it (1, recorded).

/** Refused by a safety rule: nothing was applied. The message names the thing and the override. */
export class Refused extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('\n'));
  }
}

/** The world outside failed the step (a deadline passed, a system refused or was unreachable). */
export class StepFailed extends Error {}

/** Another apply of the same environment holds its lock. */
export class ApplyBusy extends Error {}
