// The role templates and their shared partials, compiled strictly: a value missing from the data
// fails the render with the template and line, instead of leaving a hole in a config file.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Handlebars from 'handlebars';
import { writeCacheFile } from '@infra/render';

// Rendering needs only handlebars' runtime (half the load time of the whole package); the
// compiler is loaded when a template is not in the cache yet.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require('handlebars/runtime') as typeof Handlebars;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compiler = () => require('handlebars') as typeof Handlebars;

/** Shared parts every role template may include (`{{> stemcell}}`). */
export const PARTIALS = ['stemcell', 'host-value-script', 'data-disk-script'] as const;
/** One template per role, named after it. */
export const ROLE_TEMPLATES = ['mesos-master', 'mesos-agent', 'app-server', 'database', 'hadoop'] as const;

/** Why a render failed, with the template (by its file label) and the missing field if known. */
export interface TemplateFailure {
  template: string;
  /** Name of the missing value, as the template spells it (`engineVersion`, `apps`). */
  field?: string;
  message: string;
}

export type RenderOutcome = { text: string } | { failure: TemplateFailure };

export interface TemplateSet {
  /** How templates are named in messages, e.g. `generators/cloud-init/templates/database.yaml.hbs`. */
  label(name: string): string;
  render(role: string, data: object): RenderOutcome;
}

// strict: missing fields throw. noEscape: the output is YAML, not HTML. trackIds: gives block
// helpers the name of their argument, for the message when it is missing. Handlebars adds keys to
// the options it is given: it gets a copy, so this stays the cache key's part.
const COMPILE = Object.freeze({ strict: true, noEscape: true, trackIds: true });

class TemplateError extends Error {
  constructor(readonly failure: TemplateFailure) {
    super(failure.message);
  }
}

/** Reads `<name>.yaml.hbs` for every role and partial from `dir`; absent files are reported at render. */
export function loadTemplates(dir: string, labelPrefix = 'generators/cloud-init/templates'): TemplateSet {
  const sources: Record<string, string | undefined> = {};
  for (const name of [...PARTIALS, ...ROLE_TEMPLATES]) {
    const file = path.join(dir, `${name}.yaml.hbs`);
    sources[name] = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  }
  return compileTemplates(sources, (name) => `${labelPrefix}/${name}.yaml.hbs`);
}

/**
 * Compiles template sources by name; `undefined` marks a missing template. Compiling is a
 * noticeable part of a render (handlebars parses each template and generates its code every
 * run), so the generated code is kept in `cacheDir` under the sha256 of the sources, the compile
 * options and the handlebars version: a changed template is a new key. Without a cache
 * directory, or when it cannot be written, templates compile in memory as before.
 */
export function compileTemplates(
  sources: Readonly<Record<string, string | undefined>>,
  label: (name: string) => string,
  cacheDir: string | undefined = defaultCacheDir(),
): TemplateSet {
  const hb = runtime.create();
  registerHelpers(hb);
  // Templates are LF files, but an editor may save CRLF: output must not depend on that.
  const lf = Object.entries(sources)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([name, source]) => [name, source.replace(/\r\n/g, '\n')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const specs = precompiled(lf, cacheDir);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, source] of lf) {
    const spec = specs[name];
    compiled.set(name, located(spec === undefined ? uncached(hb, source) : load(hb, spec), name, label));
  }
  for (const name of PARTIALS) {
    const partial = compiled.get(name);
    if (partial) hb.registerPartial(name, partial);
  }
  return {
    label,
    render(role, data) {
      const template = (ROLE_TEMPLATES as readonly string[]).includes(role) ? compiled.get(role) : undefined;
      if (!template) return { failure: { template: label(role), message: `template ${label(role)} is missing` } };
      try {
        return { text: template(data) };
      } catch (e) {
        if (e instanceof TemplateError) return { failure: e.failure };
        throw e;
      }
    },
  };
}

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

/** A template the cache does not hold (it does not parse): compiled now; if it fails, it fails at render, like any other failure, located. */
function uncached(hb: typeof Handlebars, source: string): Handlebars.TemplateDelegate {
  let spec: string;
  try {
    spec = compiler().precompile(source, { ...COMPILE }) as string;
  } catch (error) {
    return () => {
      throw error;
    };
  }
  return load(hb, spec);
}

function load(hb: typeof Handlebars, spec: string): Handlebars.TemplateDelegate {
  return hb.template(new Function(`return ${spec}`)() as TemplateSpecification);
}

/** node_modules/.cache/infra/templates of the checkout this package is in (found through the package, so it holds when bundled). */
function defaultCacheDir(): string | undefined {
  try {
    return path.resolve(path.dirname(require.resolve('@infra/generator-cloud-init/package.json')), '../../node_modules/.cache/infra/templates');
  } catch {
    return undefined;
  }
}

/** Handlebars' generated code (a template spec as JS source) per template name; a template that does not parse is left out. */
function precompiled(sources: readonly (readonly [string, string])[], cacheDir: string | undefined): Record<string, string> {
  const key = createHash('sha256').update(JSON.stringify([runtime.VERSION, COMPILE, sources])).digest('hex');
  const file = cacheDir && path.join(cacheDir, `${key}.json`);
  if (file) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      // not cached yet (or unreadable): compile below
    }
  }
  const specs: Record<string, string> = {};
  for (const [name, source] of sources) {
    try {
      specs[name] = compiler().precompile(source, { ...COMPILE }) as string;
    } catch {
      // a parse error: left to the lazy compile, which reports it at render
    }
  }
  if (file) writeCacheFile(file, JSON.stringify(specs));
  return specs;
}

/** Wraps a compiled template so that any failure inside it names the template it happened in. */
function located(fn: Handlebars.TemplateDelegate, name: string, label: (name: string) => string): Handlebars.TemplateDelegate {
  return (context, options) => {
    try {
      return fn(context, options);
    } catch (e) {
      if (e instanceof TemplateError) throw e; // already located by the partial it came from
      throw new TemplateError(describe(e instanceof Error ? e.message : String(e), label(name), label));
    }
  };
}

function describe(raw: string, template: string, label: (name: string) => string): TemplateFailure {
  const notDefined = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/s.exec(raw);
  if (notDefined) return { template, field: notDefined[1], message: `${template} line ${notDefined[2]}: no value for "${notDefined[1]}"` };
  const missingValue = /^no value for "([^"]*)" at (\d+):(\d+)$/.exec(raw);
  if (missingValue) return { template, field: lastSegment(missingValue[1]), message: `${template} line ${missingValue[2]}: no value for "${missingValue[1]}"` };
  const noPartial = /^The partial (\S+) could not be found/.exec(raw);
  if (noPartial) return { template: label(noPartial[1]), message: `template ${label(noPartial[1])} is missing (included by ${template})` };
  return { template, message: `${template}: ${raw}` };
}

function lastSegment(field: string): string {
  return field.split('.').pop() ?? field;
}

interface HelperOptions {
  fn?: (context: unknown) => string;
  ids?: (string | undefined)[];
  loc: { start: { line: number; column: number } };
}

function registerHelpers(hb: typeof Handlebars): void {
  const at = (o: HelperOptions) => `${o.loc.start.line}:${o.loc.start.column}`;
  // Strict mode does not cover block-helper arguments: `{{#each apps}}` would silently render
  // nothing when `apps` is missing. These wrappers make them as strict as plain lookups.
  for (const name of ['if', 'unless', 'each', 'with']) {
    const builtin = hb.helpers[name] as (...a: unknown[]) => unknown;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args[args.length - 1] as HelperOptions;
      if (args.length < 2 || args[0] === undefined) throw new Error(`no value for "${options.ids?.[0] ?? name}" at ${at(options)}`);
      return builtin.apply(this, args);
    });
  }
  // A YAML scalar that is safe whatever it holds (JSON strings are YAML double-quoted scalars).
  // `{{q value}}` or, to quote composed text, `{{#q}}service {{name}} restart{{/q}}`.
  hb.registerHelper('q', function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as HelperOptions;
    if (args.length === 1 && options.fn) return JSON.stringify(options.fn(this));
    if (args.length < 2 || args[0] === undefined) throw new Error(`no value for "${options.ids?.[0] ?? 'q'}" at ${at(options)}`);
    return JSON.stringify(String(args[0]));
  });
  // A shell word that is exactly the value, whatever it holds: `{{sh value}}` is single-quoted
  // with every `'` closed, escaped and reopened, so `$(…)`, spaces and `;` stay text.
  hb.registerHelper('sh', function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as HelperOptions;
    if (args.length < 2 || args[0] === undefined) throw new Error(`no value for "${options.ids?.[0] ?? 'sh'}" at ${at(options)}`);
    return shellWord(String(args[0]));
  });
}

/** A POSIX shell word that the shell reads back as exactly `text`. */
export function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
