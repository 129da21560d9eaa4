// Provider schemas in one shape, whichever format they come in, and a checker for resource,
// data source and provider bodies: no unknown attribute or block, every required one, nested
// block counts, value types. Terraform cannot be installed here, so this is what stands in for
// `terraform validate` in the tests.
//
// Formats read:
// - `terraform providers schema -json` (AWS 6.19.0 reference file);
// - the JetBrains terraform-metadata model (vSphere 2.0.2 reference file: Type/Required/
//   Optional/Computed/MaxItems/MinItems/IsBlock/Elem/ConflictsWith).

export type TfType =
  | 'string' | 'number' | 'bool' | 'dynamic'
  | ['list' | 'set' | 'map', TfType]
  /** Object type; attributes named in the third element may be omitted (nested_type objects). */
  | ['object', Record<string, TfType>, string[]?]
  | ['tuple', TfType[]];

export interface AttributeSchema {
  type: TfType;
  required: boolean;
  /** Computed and neither optional nor required: the provider sets it, configuration may not. */
  computedOnly: boolean;
  deprecated: boolean;
  /** Absolute paths (`a.0.b`) of attributes that may not be set together with this one. */
  conflictsWith?: string[];
}

export interface NestedBlockSchema {
  nesting: 'single' | 'group' | 'list' | 'set' | 'map';
  minItems: number;
  maxItems?: number;
  computedOnly: boolean;
  conflictsWith?: string[];
  block: BlockSchema;
}

export interface BlockSchema {
  attributes: Record<string, AttributeSchema>;
  blocks: Record<string, NestedBlockSchema>;
}

export interface ProviderSchema {
  /** Local name, e.g. "aws"; resource types start with `<name>_`. */
  name: string;
  version: string;
  provider: BlockSchema;
  resources: Record<string, BlockSchema>;
  dataSources: Record<string, BlockSchema>;
}

// ---------------------------------------------------------------- `providers schema -json`

interface JsonAttribute {
  type?: unknown;
  nested_type?: { attributes: Record<string, JsonAttribute>; nesting_mode: string };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  deprecated?: boolean;
}
interface JsonBlock {
  attributes?: Record<string, JsonAttribute>;
  block_types?: Record<string, { nesting_mode: string; min_items?: number; max_items?: number; block: JsonBlock }>;
}

/** Reads one provider from a `terraform providers schema -json` document. */
export function fromProvidersSchemaJson(json: unknown, address: string, name: string): ProviderSchema {
  const root = (json as { provider_schemas: Record<string, any> }).provider_schemas[address];
  if (!root) throw new Error(`no provider ${address} in the schema document`);
  const mapAll = (o: Record<string, { block: JsonBlock }>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, jsonBlock(v.block)]));
  return {
    name,
    version: String(root.provider.version ?? ''),
    provider: jsonBlock(root.provider.block),
    resources: mapAll(root.resource_schemas ?? {}),
    dataSources: mapAll(root.data_source_schemas ?? {}),
  };
}

function jsonBlock(b: JsonBlock): BlockSchema {
  const attributes: Record<string, AttributeSchema> = {};
  for (const [k, a] of Object.entries(b.attributes ?? {})) {
    attributes[k] = {
      type: a.nested_type ? nestedType(a.nested_type) : (a.type as TfType),
      required: !!a.required,
      computedOnly: !!a.computed && !a.optional && !a.required,
      deprecated: !!a.deprecated,
    };
  }
  const blocks: Record<string, NestedBlockSchema> = {};
  for (const [k, t] of Object.entries(b.block_types ?? {})) {
    blocks[k] = { nesting: t.nesting_mode as NestedBlockSchema['nesting'], minItems: t.min_items ?? 0, maxItems: t.max_items || undefined, computedOnly: false, block: jsonBlock(t.block) };
  }
  return { attributes, blocks };
}

/** Plugin-framework nested attributes: an object type whose optional members may be left out. */
function nestedType(n: NonNullable<JsonAttribute['nested_type']>): TfType {
  const members: Record<string, TfType> = {};
  const optional: string[] = [];
  for (const [k, a] of Object.entries(n.attributes)) {
    members[k] = a.nested_type ? nestedType(a.nested_type) : (a.type as TfType);
    if (!a.required) optional.push(k);
  }
  const object: TfType = ['object', members, optional];
  return n.nesting_mode === 'single' ? object : [n.nesting_mode as 'list' | 'set' | 'map', object];
}

// ---------------------------------------------------------------- JetBrains metadata model

interface ModelField {
  Type: 'String' | 'Int' | 'Float' | 'Bool' | 'List' | 'Set' | 'Map';
  Required?: boolean;
  Optional?: boolean;
  Computed?: boolean;
  MaxItems?: number;
  MinItems?: number;
  IsBlock?: boolean;
  ConfigImplicitMode?: string;
  Deprecated?: string;
  ConflictsWith?: string[];
  Elem?: { Type: 'SchemaElements'; ElementsType: ModelField['Type'] } | { Type: 'SchemaInfo'; Info: Record<string, ModelField> };
}

/**
 * Reads a terraform-metadata provider model. `newer` adds attributes the model's version lacks
 * (a newer provider's), each by resource type and attribute name.
 */
export function fromMetadataModel(json: unknown, name: string, newer: NewerAttribute[] = []): ProviderSchema {
  const m = json as { version: string; provider: Record<string, ModelField>; resources: Record<string, Record<string, ModelField>>; 'data-sources': Record<string, Record<string, ModelField>> };
  const mapAll = (o: Record<string, Record<string, ModelField>>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, modelBlock(v)]));
  const schema: ProviderSchema = { name, version: m.version.replace(/^v/, ''), provider: modelBlock(m.provider), resources: mapAll(m.resources), dataSources: mapAll(m['data-sources']) };
  for (const n of newer) {
    const target = (n.dataSource ? schema.dataSources : schema.resources)[n.type];
    if (!target) throw new Error(`allowed newer attribute ${n.type}.${n.attribute}: no such ${n.dataSource ? 'data source' : 'resource'} in the model`);
    target.attributes[n.attribute] = { type: n.attributeType, required: false, computedOnly: false, deprecated: false };
  }
  return schema;
}

export interface NewerAttribute {
  type: string;
  dataSource?: boolean;
  attribute: string;
  attributeType: TfType;
  /** The provider release that added it, and why it is needed. */
  why: string;
}

const PRIMITIVE: Record<string, TfType> = { String: 'string', Int: 'number', Float: 'number', Bool: 'bool' };

function modelBlock(fields: Record<string, ModelField>): BlockSchema {
  const attributes: Record<string, AttributeSchema> = {};
  const blocks: Record<string, NestedBlockSchema> = {};
  for (const [k, f] of Object.entries(fields)) {
    const computedOnly = !!f.Computed && !f.Optional && !f.Required;
    if (f.IsBlock || (f.Elem?.Type === 'SchemaInfo' && f.ConfigImplicitMode !== 'Attr')) {
      const info = f.Elem?.Type === 'SchemaInfo' ? f.Elem.Info : {};
      blocks[k] = {
        nesting: f.Type === 'Set' ? 'set' : f.Type === 'Map' ? 'map' : 'list',
        // SDKv2: a required block without MinItems needs at least one.
        minItems: f.MinItems ?? (f.Required ? 1 : 0),
        maxItems: f.MaxItems || undefined,
        computedOnly,
        conflictsWith: f.ConflictsWith,
        block: modelBlock(info),
      };
      continue;
    }
    attributes[k] = { type: modelType(f), required: !!f.Required, computedOnly, deprecated: !!f.Deprecated, conflictsWith: f.ConflictsWith };
  }
  return { attributes, blocks };
}

function modelType(f: ModelField): TfType {
  if (PRIMITIVE[f.Type]) return PRIMITIVE[f.Type];
  const kind = f.Type.toLowerCase() as 'list' | 'set' | 'map';
  if (f.Elem?.Type === 'SchemaElements') return [kind, PRIMITIVE[f.Elem.ElementsType] ?? 'string'];
  if (f.Elem?.Type === 'SchemaInfo') {
    const members = Object.fromEntries(Object.entries(f.Elem.Info).map(([k, v]) => [k, modelType(v)]));
    return [kind, ['object', members]];
  }
  return [kind, 'string']; // SDKv2 defaults an untyped collection's elements to strings.
}

// ---------------------------------------------------------------- checking bodies

/** Meta-arguments Terraform accepts in every resource and data block. */
const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);
const DATA_META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle']);
const PROVIDER_META = new Set(['alias']);

export type Report = (path: string, message: string) => void;

export function checkResource(schema: BlockSchema, body: unknown, path: string, report: Report): void {
  checkBlock(schema, body, path, report, RESOURCE_META, body);
}

export function checkDataSource(schema: BlockSchema, body: unknown, path: string, report: Report): void {
  checkBlock(schema, body, path, report, DATA_META, body);
}

export function checkProvider(schema: BlockSchema, body: unknown, path: string, report: Report): void {
  checkBlock(schema, body, path, report, PROVIDER_META, body);
}

/** A string that is exactly one interpolation can stand for a value of any type. */
export function isWholeInterpolation(v: unknown): boolean {
  return typeof v === 'string' && /^\$\{[^}]*\}$/.test(v) && !v.startsWith('$${');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkBlock(schema: BlockSchema, body: unknown, path: string, report: Report, meta: Set<string>, root: unknown): void {
  if (!isObject(body)) {
    report(path, 'a block body must be a JSON object');
    return;
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === '//') continue; // Terraform's comment key in block bodies
    const at = `${path}.${key}`;
    const attribute = schema.attributes[key];
    const block = schema.blocks[key];
    if (attribute) {
      if (attribute.computedOnly) report(at, 'is computed by the provider and cannot be set');
      if (attribute.deprecated) report(at, 'is deprecated in this provider version');
      if (value === null && attribute.required) report(at, 'is required and cannot be null');
      if (value !== null) checkType(attribute.type, value, at, report);
      if (value !== null) checkConflicts(attribute.conflictsWith, root, at, report);
    } else if (block) {
      checkNestedBlock(block, value, at, report, root);
    } else if (meta.has(key)) {
      if (key === 'lifecycle') checkLifecycle(value, at, report);
    } else {
      report(at, 'is not an attribute or block of this schema');
    }
  }
  for (const [key, attribute] of Object.entries(schema.attributes)) {
    if (attribute.required && !(key in body)) report(`${path}.${key}`, 'is required');
  }
  for (const [key, block] of Object.entries(schema.blocks)) {
    if (block.minItems > 0 && !(key in body)) report(`${path}.${key}`, `needs at least ${block.minItems} block(s)`);
  }
}

function checkNestedBlock(block: NestedBlockSchema, value: unknown, at: string, report: Report, root: unknown): void {
  if (block.computedOnly) {
    report(at, 'is a computed block and cannot be set');
    return;
  }
  checkConflicts(block.conflictsWith, root, at, report);
  if (block.nesting === 'map') {
    if (!isObject(value)) return report(at, 'a map of blocks must be a JSON object keyed by label');
    for (const [label, body] of Object.entries(value)) checkBlock(block.block, body, `${at}.${label}`, report, new Set(), root);
    return;
  }
  // JSON syntax: one block is an object, several of the same type an array of objects.
  const items = Array.isArray(value) ? value : [value];
  if ((block.nesting === 'single' || block.nesting === 'group') && items.length > 1) report(at, 'takes a single block');
  if (items.length < block.minItems) report(at, `needs at least ${block.minItems} block(s), got ${items.length}`);
  if (block.maxItems !== undefined && items.length > block.maxItems) report(at, `takes at most ${block.maxItems} block(s), got ${items.length}`);
  items.forEach((item, i) => checkBlock(block.block, item, items.length > 1 ? `${at}[${i}]` : at, report, new Set(), root));
}

const LIFECYCLE = new Set(['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by', 'precondition', 'postcondition']);

function checkLifecycle(value: unknown, at: string, report: Report): void {
  if (!isObject(value)) return report(at, 'must be a JSON object');
  for (const key of Object.keys(value)) if (key !== '//' && !LIFECYCLE.has(key)) report(`${at}.${key}`, 'is not a lifecycle argument');
}

/** ConflictsWith paths are absolute within the resource, with `.0.` for the first block. */
function checkConflicts(paths: string[] | undefined, root: unknown, at: string, report: Report): void {
  for (const p of paths ?? []) {
    let node: unknown = root;
    for (const seg of p.split('.')) {
      if (/^\d+$/.test(seg)) node = Array.isArray(node) ? node[Number(seg)] : Number(seg) === 0 ? node : undefined;
      else node = isObject(node) ? node[seg] : undefined;
      if (node === undefined || node === null) break;
    }
    if (node !== undefined && node !== null) report(at, `conflicts with ${p}, which is also set`);
  }
}

export function checkType(type: TfType, value: unknown, at: string, report: Report): void {
  if (isWholeInterpolation(value) || type === 'dynamic') return;
  if (typeof type === 'string') {
    const ok = type === 'string' ? typeof value === 'string' : type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'boolean';
    if (!ok) report(at, `must be a ${type}, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return;
  }
  const [kind] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(value)) return report(at, `must be a ${kind} (JSON array)`);
    value.forEach((v, i) => checkType(type[1] as TfType, v, `${at}[${i}]`, report));
    if (kind === 'set' && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) report(at, 'a set cannot hold the same value twice');
  } else if (kind === 'map') {
    if (!isObject(value)) return report(at, 'must be a map (JSON object)');
    // "//" is a comment only in block bodies; in a map it would be a real entry.
    for (const [k, v] of Object.entries(value)) checkType(type[1] as TfType, v, `${at}["${k}"]`, report);
  } else if (kind === 'object') {
    if (!isObject(value)) return report(at, 'must be an object');
    const members = type[1] as Record<string, TfType>;
    const optional = new Set((type[2] as string[] | undefined) ?? []);
    for (const [k, v] of Object.entries(value)) {
      if (!(k in members)) report(`${at}.${k}`, 'is not an attribute of this object type');
      else if (v !== null) checkType(members[k], v, `${at}.${k}`, report);
    }
    // Type conversion to an object type needs every attribute (null for the unset ones).
    for (const k of Object.keys(members)) if (!(k in value) && !optional.has(k)) report(`${at}.${k}`, 'must be present (use null to leave it unset)');
  } else if (kind === 'tuple') {
    const members = type[1] as TfType[];
    if (!Array.isArray(value) || value.length !== members.length) return report(at, `must be a tuple of ${members.length}`);
    value.forEach((v, i) => checkType(members[i], v, `${at}[${i}]`, report));
  }
}
