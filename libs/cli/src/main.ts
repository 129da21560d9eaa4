// The `infra` command line: one table of commands, each with its own usage, options and help
// text, so adding a command (diff, comment, apply, drift) is one entry in COMMANDS. Parsing,
// --help, usage errors and the exit code of each kind of failure live here, once.
import { parseArgs } from 'node:util';
import { InvalidDefinition } from '@infra/model';
import { Busy } from '@infra/render';
import { checkCommand, EXIT, inventoryCommand, printProblems, renderCommand, UsageError, validateCommand, type Io } from './commands';
import { findRoot } from './workspace';
// The bin hands in its import() (see esm-import.ts) through the bundle's entry.
export { setEsmImport } from './esm-import';
import { commentCommand, diffCommand } from './review-commands';

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on use: apply and drift bring libs/apply, whose clients load node's http, https, net,
// tls, zlib and child_process (~4.5 ms CPU, and their modules' own start) that `infra render`
// and `infra check`, run on every edit, never use.
const applyCommand = () => require('./apply-command') as typeof import('./apply-command');
const driftCommand = () => require('./drift-command') as typeof import('./drift-command');
/* eslint-enable @typescript-eslint/no-require-imports */

/** One option of a command, as node:util parseArgs takes it, with its line of help. */
export interface OptionSpec {
  type: 'boolean' | 'string';
  multiple?: boolean;
  short?: string;
  /** Shown in `--help`, e.g. "--base REF". */
  synopsis: string;
  help: string;
}

export interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

export interface Command {
  name: string;
  /** Arguments after the command name, e.g. "[--full] [ENV...]". */
  args: string;
  /** One line, shown in `infra --help`. */
  summary: string;
  /** Paragraphs shown by `infra <name> --help`, after the usage and options. */
  help: string;
  /** Exit codes of this command, shown in its help (DESIGN §3). */
  exits: string;
  options?: Record<string, OptionSpec>;
  run(root: string, args: Parsed, io: Io): number | Promise<number>;
}

const FULL: OptionSpec = { type: 'boolean', synopsis: '--full', help: 'ignore the render cache: load, validate and render every selected environment' };
const ONLY: OptionSpec = { type: 'boolean', synopsis: '--only', help: 'only the named environments, not those derived from them (the output names what it left)' };

const COMMANDS: Command[] = [
  {
    name: 'render', args: '[--full] [--only] [ENV...]', summary: 'validate, render and write rendered/ (all environments by default)',
    help: `Validates the definitions under environments/ and writes what they render into rendered/<env>/.
An environment derived from a selected one (aws-dr from lenexa) is rendered with it, so it is
never left stale. Every problem is reported at once and nothing is written when there is one.
Inputs unchanged since the last render on this machine are not rendered again (every file is
still verified against its hash in the manifest).`,
    exits: '0 written · 2 invalid definitions or command line, nothing written · 75 another infra command is writing rendered/',
    options: { full: FULL, only: ONLY },
    run: (root, a, io) => renderCommand(root, a.positionals, io, { full: a.values.full === true, only: a.values.only === true }),
  },
  {
    name: 'check', args: '[--full] [ENV...]', summary: 'compare what render would write with rendered/ (exit 1 when stale)',
    help: `Renders in memory and compares with rendered/, writing nothing; CI runs it so that rendered/
always matches the definitions. Derived environments are checked with the environment they
derive from. Reads rendered/ without taking the writers' lock unless a killed render must be
recovered first.`,
    exits: '0 up to date · 1 stale (each stale, missing or extra file named) · 2 invalid · 75 busy',
    options: { full: FULL },
    run: (root, a, io) => checkCommand(root, a.positionals, io, { full: a.values.full === true }),
  },
  {
    name: 'validate', args: '[ENV...]', summary: 'check the definitions only',
    help: 'Loads and validates the definitions (schema, rules and every generator\'s checks); writes nothing.',
    exits: '0 valid · 2 invalid',
    run: (root, a, io) => validateCommand(root, a.positionals, io),
  },
  {
    name: 'inventory', args: '[--behind REF] [ENV...]', summary: 'print the server inventory',
    help: `Prints every server, Hadoop host and Marathon app of the environments, as rendered into
rendered/<env>/INVENTORY.md. With --behind REF, lists instead the servers whose stemcell or
patch level differs from the rendering at git REF (e.g. the last applied commit).`,
    exits: '0 · 2 invalid definitions, command line or REF',
    options: { behind: { type: 'string', synopsis: '--behind REF', help: 'list the servers not at the current patch level, compared with the rendering at git REF' } },
    run: (root, a, io) => inventoryCommand(root, a.positionals, io, { behind: typeof a.values.behind === 'string' ? a.values.behind : undefined }),
  },
  {
    name: 'diff', args: '[--base REF] [--head REF] [--format text|md|json] [ENV...]',
    summary: 'what would change in the real world between two renderings, risks first',
    help: `Reads rendered/ at two git refs (never re-rendering them) and says, per environment, what
the change does: resources created, updated, replaced and destroyed (and why), apps restarted or
scaled, hosts commissioned or decommissioned, patches, and the risks first. --head defaults to
the working tree, --base to the merge base with main. Each environment shows its reviewed hash.`,
    exits: '0 · 2 wrong ref, environment or option',
    options: {
      base: { type: 'string', synopsis: '--base REF', help: 'the rendering before (default: the merge base with main)' },
      head: { type: 'string', synopsis: '--head REF', help: 'the rendering after (default: the working tree)' },
      format: { type: 'string', synopsis: '--format text|md|json', help: 'text for a terminal (colour on a TTY unless NO_COLOR), md for a PR, json (infra.diff/v1)' },
    },
    run: (root, a, io) => diffCommand(root, a, { ...io, isTTY: io === stdio && process.stdout.isTTY }),
  },
  {
    name: 'comment', args: '--pr N [--base REF] [--head REF] [--body-file F]',
    summary: 'create or update the one sticky review comment of a pull request',
    help: `Posts the review (infra diff as md) on pull request N, updating the one comment that starts
with <!-- infra:review --> (created only when none exists). Needs GITHUB_TOKEN and
GITHUB_REPOSITORY (owner/name); GITHUB_API_URL defaults to https://api.github.com.`,
    exits: '0 posted · 1 GitHub refused or failed · 2 wrong input',
    options: {
      pr: { type: 'string', synopsis: '--pr N', help: 'the pull request number' },
      base: { type: 'string', synopsis: '--base REF', help: 'as for infra diff' },
      head: { type: 'string', synopsis: '--head REF', help: 'as for infra diff' },
      'body-file': { type: 'string', synopsis: '--body-file F', help: 'post this body (made elsewhere) instead of the diff' },
    },
    run: (root, a, io) => commentCommand(root, a, io),
  },
  {
    name: 'apply', args: 'ENV [--to REF] [--from REF] [--reviewed SHA256] [--dry-run] [--allow-destroy ADDR]... [--allow-unreviewed ADDR]... [--force] [--record FILE] [--deadline SECONDS] [--concurrency N]',
    summary: 'apply what changed under rendered/ENV: terraform, then Marathon, then Hadoop, then patches',
    help: `Applies what changed under rendered/ENV from the last applied commit (--from) to --to (HEAD),
in order: terraform (replacements batched by failure domain, a canary first, health gates between
batches), Marathon (each app after its dependencies), Hadoop host files, patches one host at a
time. Prints the plan first; --dry-run stops there (and exits 3 when the real run would be
refused). Refuses (exit 3, nothing applied) a destroyed or replaced data-holding resource, an
action the reviewed diff does not list, and a tree that is not the reviewed one.
Outside world: INFRA_MARATHON_URL, MARATHON_USERNAME/MARATHON_PASSWORD or MARATHON_TOKEN,
INFRA_MESOS_URL, terraform/ssh/scp from PATH (INFRA_TERRAFORM overrides terraform).`,
    exits: '0 applied or nothing to do · 1 failed (what was done is recorded; run again to resume) · 2 wrong input · 3 refused by a safety rule · 75 another apply of ENV is running',
    options: {
      to: { type: 'string', synopsis: '--to REF', help: 'the commit to apply (default HEAD)' },
      from: { type: 'string', synopsis: '--from REF', help: 'the commit applied last (default: from the record; an empty tree the first time)' },
      reviewed: { type: 'string', synopsis: '--reviewed SHA256', help: 'sha256 of rendered/ENV/manifest.json that was reviewed (required in Actions, read from the merged PR)' },
      'dry-run': { type: 'boolean', synopsis: '--dry-run', help: 'print the plan (terraform plan included) and change nothing' },
      'allow-destroy': { type: 'string', multiple: true, synopsis: '--allow-destroy ADDR', help: 'allow destroying or replacing this data-holding resource (by hand; on merge use allowDestroy in the definition)' },
      'allow-unreviewed': { type: 'string', multiple: true, synopsis: '--allow-unreviewed ADDR', help: 'allow an action the reviewed diff does not list (a change made outside the tool)' },
      force: { type: 'boolean', synopsis: '--force', help: 'override Marathon deployments that hold an app (force=true)' },
      record: { type: 'string', synopsis: '--record FILE', help: 'where the record is kept (default .infra/applied.json; GitHub Deployments in Actions)' },
      deadline: { type: 'string', synopsis: '--deadline SECONDS', help: 'caps every watch time (a deployment, a health gate, a decommission)' },
      concurrency: { type: 'string', synopsis: '--concurrency N', help: 'Marathon apps deployed at once (default 16)' },
    },
    run: (root, a, io) => applyCommand().runApply(root, a, io),
  },
  {
    name: 'drift', args: 'ENV... [--format text|md|json] [--issue] [--record FILE] [--skip SYSTEM]... | ENV --readiness | ENV --drill success|failure [--body-file F]',
    summary: 'read the live systems of ENV back and compare them with what was last applied (exit 1 on drift)',
    help: `Compares the live systems with the rendering of the last commit applied to ENV (from apply's
record: --record FILE, default .infra/applied.json; GitHub Deployments in Actions):
  terraform  plan -refresh-only on a copy of that rendering: resources changed outside the tool
  marathon   every app labelled MANAGED_BY=infra against its rendered file (Marathon's defaults,
             versions and assigned ports set aside); apps without the label are listed, not drift
  hadoop     the host files on the NameNodes and HMasters, and the NameNode's view of its DataNodes
  patches    the installed version of each package of the patch plans, on the hosts patched in place
Changes merged but not applied are listed apart as pending. An environment never applied is
skipped with a note. A system that cannot be read is unreachable, not drift.
Where the systems are: INFRA_MARATHON_URL (+ MARATHON_USERNAME/MARATHON_PASSWORD or
MARATHON_TOKEN), terraform, ssh from PATH (INFRA_TERRAFORM overrides terraform).`,
    exits: '0 no drift (or ready) · 1 drift or a system unreachable (or not ready) · 2 wrong input',
    options: {
      format: { type: 'string', synopsis: '--format text|md|json', help: 'text for a terminal, md for an issue, json (infra.drift/v1)' },
      issue: { type: 'boolean', synopsis: '--issue', help: 'open, update or close the one GitHub issue of ENV (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL)' },
      record: { type: 'string', synopsis: '--record FILE', help: "apply's record to read the last applied commit from (default .infra/applied.json)" },
      skip: { type: 'string', multiple: true, synopsis: '--skip SYSTEM', help: 'do not read terraform, marathon, hadoop or patches' },
      readiness: { type: 'boolean', synopsis: '--readiness', help: 'instead: the readiness report of a bring-up (hosts answer, apps healthy, NameNodes out of safe mode) and the manual steps' },
      drill: { type: 'string', synopsis: '--drill success|failure', help: "instead: sync the DR drill's issue (failure opens or updates it with --body-file's text, success closes it)" },
      'body-file': { type: 'string', synopsis: '--body-file F', help: 'the drill report for --drill failure' },
    },
    run: (root, a, io) => driftCommand().driftCommand(root, a, io),
  },
];

export const VERSION: string = (require('@infra/cli/package.json') as { version: string }).version; // eslint-disable-line @typescript-eslint/no-require-imports

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args}`.length));
  return [
    'usage: infra <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}   ${c.summary}`),
    '',
    '  infra <command> --help   (or infra help <command>) explains one command',
    '  infra --version          prints the version',
    '',
    'Exit codes: 0 ok · 1 stale or drift, or a failure outside (recorded) · 2 wrong input (definitions',
    'or command line) · 3 refused by a safety rule · 75 busy (another infra command holds rendered/).',
  ].join('\n');
}

/** The command with this name, from the table. */
export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** A command's arguments parsed by its options in the table (the one place they are declared). */
export function parseFor(command: Command, argv: string[]): Parsed {
  const options = Object.fromEntries(Object.entries(command.options ?? {}).map(([k, o]) => [k, {
    type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}),
  }]));
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options }) as Parsed;
  } catch (err) {
    throw new UsageError(parseMessage(err));
  }
}

export function commandHelp(c: Command): string {
  const options = Object.values(c.options ?? {});
  const width = Math.max('-h, --help'.length, ...options.map((o) => o.synopsis.length));
  return [
    `usage: infra ${c.name} ${c.args}`,
    '',
    c.summary[0].toUpperCase() + c.summary.slice(1) + '.',
    '',
    c.help,
    '',
    'Options:',
    ...options.map((o) => `  ${o.synopsis.padEnd(width)}   ${o.help}`),
    `  ${'-h, --help'.padEnd(width)}   show this help`,
    '',
    `ENV is a folder name under environments/. Exit codes: ${c.exits}.`,
  ].join('\n');
}

const stdio: Io = { out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'), err: (t) => process.stderr.write(t + '\n') };

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return EXIT.invalid;
  }
  if (name === '--help' || name === '-h') {
    io.out(usage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.out(`infra ${VERSION}`);
    return EXIT.ok;
  }
  if (name === 'help') {
    if (rest.length === 0) { io.out(usage()); return EXIT.ok; }
    const c = COMMANDS.find((x) => x.name === rest[0]);
    if (!c) return usageError(io, 'help', `no command "${rest[0]}"; commands: ${COMMANDS.map((x) => x.name).join(', ')}`, 'infra --help');
    io.out(commandHelp(c));
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const hint = name.startsWith('-') ? `unknown option "${name}" before a command` : `unknown command "${name}"`;
    return usageError(io, undefined, `${hint}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`, 'infra --help');
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(findRoot(), parseFor(command, rest), io);
  } catch (err) {
    if (err instanceof UsageError) return usageError(io, command.name, err.message, `infra ${command.name} --help`);
    if (err instanceof InvalidDefinition) {
      printProblems(err.problems, io);
      return EXIT.invalid;
    }
    if (err instanceof Busy) {
      io.err(`infra ${command.name}: ${err.message}`);
      return EXIT.busy;
    }
    io.err(`infra ${command.name}: internal error (a bug in infra, not your definitions; please report it): ${err instanceof Error ? err.stack : String(err)}`);
    return EXIT.internal;
  }
}

function usageError(io: Io, command: string | undefined, message: string, helpCmd: string): number {
  io.err(`infra${command ? ` ${command}` : ''}: ${message}\nRun \`${helpCmd}\` for usage.`);
  return EXIT.invalid;
}

/** Node's parseArgs messages, without its advice about '--' that does not fit this command. */
function parseMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const text = err instanceof Error ? err.message : String(err);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const m = /Unknown option '([^']+)'/.exec(text);
    return `unknown option ${m ? `"${m[1]}"` : text}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return text.replace(/\.$/, '');
  return text.split('\n')[0];
}
