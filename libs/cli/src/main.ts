import { parseArgs } from 'node:util';
import { InvalidDefinition } from '@infra/model';
import { Busy } from '@infra/render';
import { checkCommand, EXIT, inventoryCommand, printProblems, renderCommand, validateCommand, type Io, type Options } from './commands';
import { findRoot } from './workspace';
import { driftCommand } from './drift-command';
import { runApply } from './apply-command';

const USAGE = `usage: infra <command> [options]

  render [ENV...]      validate, render and write rendered/ (all environments by default)
  check [ENV...]       compare what render would write with rendered/ (exit 1 on drift)

  render and check skip environments whose inputs are unchanged since the last render on this
  machine (every file is still verified against its hash); --full renders everything.
  validate [ENV...]    check the definitions only
  inventory [ENV...]   print the server inventory
  drift ENV... [--format text|md|json] [--issue]
                       compare the live systems with what was last applied (exit 1 on drift)
  apply ENV            apply what changed under rendered/ENV (infra apply --help)

Exit codes: 0 ok, 1 drift or internal error, 2 invalid definitions (nothing written).`;

const COMMANDS: Record<string, (root: string, names: string[], io: Io, options: Options) => number> = {
  render: renderCommand,
  check: checkCommand,
  validate: validateCommand,
  inventory: inventoryCommand,
};

const stdio: Io = { out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'), err: (t) => process.stderr.write(t + '\n') };

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? EXIT.ok : EXIT.invalid;
  }
  if (command === 'drift') return driftCommand(findRoot(), rest, io);
  if (command === 'apply') return runApply(rest, io);
  const run = COMMANDS[command];
  if (!run) {
    io.err(`infra: unknown command "${command}"\n\n${USAGE}`);
    return EXIT.invalid;
  }
  try {
    const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { full: { type: 'boolean' } } });
    return run(findRoot(), positionals, io, { full: values.full });
  } catch (err) {
    if (err instanceof InvalidDefinition) {
      printProblems(err.problems, io);
      return EXIT.invalid;
    }
    if (err instanceof Busy) {
      io.err(`infra ${command}: ${err.message}`);
      return EXIT.internal;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.err(`infra ${command}: ${err.message}\n\n${USAGE}`);
      return EXIT.invalid;
    }
    io.err(`infra ${command}: internal error (a bug, not your definitions): ${err instanceof Error ? err.stack : String(err)}`);
    return EXIT.internal;
  }
}
