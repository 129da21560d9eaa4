import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Problem } from '@infra/model';
// Compiled ahead of time from generated/environment.schema.json by `npm run schema` (see schema-source.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validate: ValidateFunction = require('../generated/environment.validate.js');

/** Keywords after which the object still has the model's shape, so semantic checks can run. */
const SHAPE_SAFE = new Set(['pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'format', 'enum', 'const']);

export interface SchemaResult {
  problems: Problem[];
  /** False when the definition's shape is broken (wrong types, missing fields). */
  shapeOk: boolean;
}

/** Checks an environment against the JSON Schema generated from the model's types. */
export function checkSchema(env: unknown, name: string): SchemaResult {
  if (validate(env)) return { problems: [], shapeOk: true };
  // The compiled validator is not verbose: read each error's value from the definition itself.
  const all = collapseUnions(validate.errors ?? []).map((e) => ({ ...e, data: valueAt(env, e.instancePath) }));
  // `hosts: 2.5` fails both branches of `count | list`; the count branch is the one meant.
  const fractions = new Set(all.filter(isFraction).map((e) => e.instancePath));
  const errors = all.filter((e) => isFraction(e) || !(e.keyword === 'type' && fractions.has(e.instancePath)));
  return {
    problems: errors.map((e) => ({ env: name, path: locate(env, e), message: describe(e) })),
    shapeOk: errors.every((e) => SHAPE_SAFE.has(e.keyword) || isFraction(e)),
  };
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node = root;
  for (const part of instancePath.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

/** A number where a whole number belongs (2.5 hosts): wrong, but the shape is the model's. */
const isFraction = (e: ErrorObject) => e.keyword === 'type' && (e.params as { type?: string }).type === 'integer' && typeof e.data === 'number';

/**
 * Unions with a discriminator (`role`, `kind`) are generated as if/then, so a mistake is reported
 * once, against the branch it belongs to; drop ajv's "must match then schema" summaries and any
 * exact repeats so the operator sees one message per mistake.
 */
function collapseUnions(errors: ErrorObject[]): ErrorObject[] {
  const unique = new Map<string, ErrorObject>();
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'anyOf') continue;
    unique.set(`${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`, e);
  }
  return [...unique.values()];
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return `missing required field "${p.missingProperty}"`;
    case 'additionalProperties': return `unknown field "${p.additionalProperty}" (check its spelling against libs/model)`;
    case 'pattern': return `must match ${p.pattern}`;
    case 'enum': return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type': return isFraction(e) ? `${e.data} is not a whole number: a count is an integer` : (e.message ?? e.keyword);
    default: return e.message ?? e.keyword;
  }
}

/** Turns `/hostGroups/3/hosts/0/ip` into `hostGroups/db-ledger/hosts/db-ledger-01/ip`. */
export function locate(root: unknown, e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const out: string[] = [];
  let node: unknown = root;
  for (const part of parts) {
    const next = (node as Record<string, unknown> | undefined)?.[part];
    if (Array.isArray(node)) out.push(stableName(next) ?? `[${part}]`);
    else out.push(part);
    node = next;
  }
  if (e.keyword === 'additionalProperties' || e.keyword === 'required') {
    const field = (e.params as Record<string, string>).additionalProperty ?? (e.params as Record<string, string>).missingProperty;
    out.push(field);
  }
  return out.join('/').replace(/\/\//g, '/') || '(root)';
}

function stableName(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const key of ['name', 'id']) if (typeof o[key] === 'string') return (o[key] as string).replace(/^\//, '');
  }
  return undefined;
}

