// One host group's user-data: its view rendered through its role template, then read back the
// way cloud-init will read it and checked against the stemcell's module set, so that nothing
// reaches a VM that its cloud-init would misread or ignore.
import { type Environment, type HadoopCluster, type HostGroup, type Problem, type Role } from '@infra/model';
import { generatedMarker } from '@infra/render';
import YAML from 'yaml';
import { MODULE_SETS, VALUE_CHECKED_KEYS, checkModuleSet, unknownVersion } from './module-sets';
import type { TemplateFailure, TemplateSet } from './templates';
import { buildView, hadoopView } from './views';

export interface UserDataResult {
  /** Present only when there is no problem. */
  text?: string;
  problems: Problem[];
}

/** Definition fields each role's view copies: a missing one is reported at its own path. */
const DEFINITION_FIELDS: Readonly<Record<Role, readonly string[]>> = {
  'mesos-master': ['mesosVersion', 'zookeeperVersion', 'marathonVersion'],
  'mesos-agent': ['mesosVersion', 'dockerVersion', 'racks'],
  'app-server': ['apps'],
  database: ['engine', 'engineVersion', 'port', 'dataDir', 'data'],
};

export function renderGroup(templates: TemplateSet, env: Environment, group: HostGroup): UserDataResult {
  const at = `hostGroups/${group.name}`;
  const problem = (path: string, message: string): Problem => ({ env: env.name, path, message });
  const built = buildView(env, group);
  if (built.problems.length > 0) return { problems: built.problems };

  const outcome = templates.render(group.role, built.view);
  if ('failure' in outcome) return { problems: [problem(failurePath(at, group.role, outcome.failure), outcome.failure.message)] };
  return readBack(templates, env, at, group.role, outcome.text);
}

/**
 * The user-data of a Hadoop cluster's hosts where they are instances (AWS): the stemcell's
 * patches, the data volume mounted, each host named as the host files name it.
 */
export function renderHadoop(templates: TemplateSet, env: Environment, cluster: HadoopCluster): UserDataResult {
  const at = `hadoop/${cluster.name}`;
  const built = hadoopView(env, cluster);
  if (built.problems.length > 0) return { problems: built.problems };
  const outcome = templates.render('hadoop', built.view);
  if ('failure' in outcome) {
    const field = outcome.failure.field === 'data' ? `${at}/data` : at;
    return { problems: [{ env: env.name, path: field, message: outcome.failure.message }] };
  }
  return readBack(templates, env, at, 'hadoop', outcome.text);
}

/** Reads rendered user-data back the way cloud-init will, against the stemcell's module set. */
function readBack(templates: TemplateSet, env: Environment, at: string, role: string, rendered: string): UserDataResult {
  const problem = (path: string, message: string): Problem => ({ env: env.name, path, message });
  // Exactly one final newline, whatever the template's last lines look like.
  const text = rendered.replace(/\n*$/, '\n');

  const problems: Problem[] = [];
  const lines = text.split('\n');
  if (lines[0] !== '#cloud-config') problems.push(problem(at, `user-data must start with "#cloud-config", got ${JSON.stringify(lines[0])}`));
  if (lines[1] !== `# ${generatedMarker('cloud-init')}`) problems.push(problem(at, 'user-data line 2 must be the generated-file marker'));

  const set = MODULE_SETS[env.stemcell.cloudInit];
  if (!set) {
    problems.push(problem('stemcell/cloudInit', unknownVersion(env.stemcell.cloudInit)));
    return { problems };
  }
  const readings = cleanReadings(templates, `${role}\0${set.cloudInit}`);
  if (problems.length === 0 && readings.some((r) => readsAlike(r, lines))) return { text, problems };
  // cloud-init reads YAML 1.1 (PyYAML): parse as it will, e.g. an unquoted 0644 is a number.
  // (YAML.parse, spelled out to keep the parsed document: its node ranges make a clean reading.)
  const parsed = YAML.parseDocument(text, { version: '1.1', uniqueKeys: true });
  for (const warning of parsed.warnings) process.emitWarning(warning);
  if (parsed.errors.length > 0) {
    problems.push(problem(at, `rendered user-data is not valid YAML (${templates.label(role)}): ${parsed.errors[0].message}`));
    return { problems };
  }
  for (const f of checkModuleSet(parsed.toJS(), set)) problems.push(problem(f.at ? `${at}/user-data/${f.at}` : `${at}/user-data`, f.message));
  if (problems.length > 0) return { problems };
  if (readings.length < MAX_READINGS) readings.push(cleanReading(parsed, lines));
  return { text, problems };
}

// ---- reading each template shape once ------------------------------------------------------------
// Groups of one role render the same template and mostly differ only in a comment (the group's
// name) or inside a block scalar (a file's content: a rack, a host table). Parsing every group's
// YAML again was a fifth of render's time at 5,000 VMs, so a text that read back clean is kept with
// the lines another text may change without changing what cloud-init reads, other than those
// strings: whole-line comments, and content lines of block scalars whose value the module set does
// not check. A text of the same role that differs from it only there, each such line keeping its
// kind (a comment stays a comment; a content line keeps its exact indentation and one line), parses
// to the same structure with the same keys and types, so it has the same (no) problems. Any other
// difference is read back in full.

/** Marks a whole-line comment in `CleanReading.opaque`; any other value is a content line's indentation. */
const COMMENT = '#';
/** Readings kept per role and cloud-init version: enough for a few shapes, a bounded cost per text. */
const MAX_READINGS = 4;
/** Characters that could end a line or be refused inside one (controls, YAML 1.1 breaks, BOM, surrogates). */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;

interface CleanReading {
  lines: readonly string[];
  /** Line index → COMMENT, or the exact indentation of a block scalar's content line. */
  opaque: ReadonlyMap<number, string>;
}

const readingsBySet = new WeakMap<TemplateSet, Map<string, CleanReading[]>>();

function cleanReadings(templates: TemplateSet, key: string): CleanReading[] {
  let bySet = readingsBySet.get(templates);
  if (!bySet) readingsBySet.set(templates, (bySet = new Map()));
  let list = bySet.get(key);
  if (!list) bySet.set(key, (list = []));
  return list;
}

/** Whether `lines` differs from a clean reading only in lines it may change (see above). */
export function readsAlike(reading: CleanReading, lines: readonly string[]): boolean {
  if (lines.length !== reading.lines.length) return false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === reading.lines[i]) continue;
    const kind = reading.opaque.get(i);
    if (kind === undefined || UNSAFE.test(line)) return false;
    if (kind === COMMENT) {
      if (!/^[ \t]*#/.test(line)) return false;
    } else if (!line.startsWith(kind) || line.length === kind.length || line[kind.length] === ' ' || line[kind.length] === '\t') {
      return false;
    }
  }
  return true;
}

/** The lines of a clean text that another text may change (see above), from its parsed document. */
export function cleanReading(doc: YAML.Document.Parsed, lines: readonly string[]): CleanReading {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const lineOf = (at: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const inScalar = new Set<number>();
  const opaque = new Map<number, string>();
  YAML.visit(doc, {
    Scalar(key, node, path) {
      if (!node.range) return;
      const [start, valueEnd, end] = node.range;
      for (let i = lineOf(start); i <= lineOf(Math.max(start, end - 1)); i++) inScalar.add(i);
      if (node.type !== YAML.Scalar.BLOCK_LITERAL && node.type !== YAML.Scalar.BLOCK_FOLDED) return;
      const parent = path[path.length - 1];
      if (key === 'value' && YAML.isPair(parent) && YAML.isScalar(parent.key) && VALUE_CHECKED_KEYS.has(String(parent.key.value))) return;
      // Content starts on the line after the header (`|`, `>-`, …).
      for (let i = lineOf(start) + 1; i <= lineOf(Math.max(start, valueEnd - 1)); i++) {
        const indent = /^ */.exec(lines[i])![0];
        const next = lines[i][indent.length];
        if (next !== undefined && next !== '\t') opaque.set(i, indent);
      }
    },
  });
  lines.forEach((line, i) => {
    if (!inScalar.has(i) && /^[ \t]*#/.test(line)) opaque.set(i, COMMENT);
  });
  return { lines, opaque };
}

function failurePath(at: string, role: Role, failure: TemplateFailure): string {
  if (failure.field === undefined) return `${at}/role`;
  return (DEFINITION_FIELDS[role] ?? []).includes(failure.field) ? `${at}/${failure.field}` : at;
}
