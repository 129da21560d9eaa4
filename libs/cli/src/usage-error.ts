/**
 * A mistake on the command line (an unknown option, an environment that does not exist): exit 2
 * like a bad definition, but with the advice that fits it (the command's --help or the list of
 * environments), never "fix the definitions".
 */
export class UsageError extends Error {}
