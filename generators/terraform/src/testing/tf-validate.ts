// Validates rendered `.tf.json` files the way `terraform validate` would, as far as that is
// possible without Terraform: the JSON syntax rules (notes/terraform-tf-json.md), labels,
// escaping and references across the files of one root, the backend, and every provider,
// resource and data source body against its provider schema.
import { checkDataSource, checkProvider, checkResource, type ProviderSchema, type Report } from './provider-schema';
import { IDENTIFIER } from '../tf-json';

const TOP_LEVEL = new Set(['//', 'terraform', 'provider', 'variable', 'locals', 'output', 'module', 'resource', 'data', 'moved', 'import', 'check', 'removed']);
const TERRAFORM_KEYS = new Set(['//', 'required_version', 'required_providers', 'backend', 'cloud', 'experiments', 'provider_meta']);
const VARIABLE_KEYS = new Set(['//', 'type', 'default', 'description', 'sensitive', 'nullable', 'validation', 'ephemeral']);

/**
 * Backend arguments as documented for Terraform 1.5-1.x (backends have no machine-readable
 * schema). `locks` says whether a configuration locks state.
 */
const BACKENDS: Record<string, { required: string[]; allowed: string[]; locks: (b: Record<string, unknown>) => boolean }> = {
  s3: {
    required: ['bucket', 'key'],
    allowed: ['bucket', 'key', 'region', 'encrypt', 'kms_key_id', 'dynamodb_table', 'use_lockfile', 'workspace_key_prefix', 'acl', 'profile', 'shared_credentials_files', 'assume_role', 'skip_region_validation', 'use_path_style'],
    locks: (b) => typeof b.dynamodb_table === 'string' || b.use_lockfile === true,
  },
  consul: {
    required: ['path'],
    allowed: ['address', 'scheme', 'path', 'datacenter', 'lock', 'gzip', 'ca_file', 'cert_file', 'key_file'],
    locks: (b) => b.lock !== false,
  },
};

interface Declared {
  variables: Set<string>;
  locals: Set<string>;
  /** `type.name` and `data.type.name` → its schema's attribute and block names. */
  addresses: Map<string, Set<string>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every problem of a rendered tree's Terraform files, as `path: where: message`. Files are
 * grouped into roots by directory, since references resolve within one root.
 */
export function validateTerraformFiles(files: ReadonlyMap<string, string>, schemas: ProviderSchema[]): string[] {
  const problems: string[] = [];
  const roots = new Map<string, Map<string, Record<string, unknown>>>();
  for (const [path, text] of files) {
    if (!path.endsWith('.tf.json')) continue;
    const report: Report = (where, message) => problems.push(`${path}: ${where}: ${message}`);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      report('(file)', `does not parse as JSON: ${(e as Error).message}`);
      continue;
    }
    if (!isObject(doc)) {
      report('(file)', 'the root must be a JSON object');
      continue;
    }
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    if (!roots.has(dir)) roots.set(dir, new Map());
    roots.get(dir)!.set(path, doc);
  }
  for (const [dir, docs] of roots) problems.push(...validateRoot(dir, docs, schemas));
  return problems;
}

function validateRoot(dir: string, docs: Map<string, Record<string, unknown>>, schemas: ProviderSchema[]): string[] {
  const problems: string[] = [];
  const declared: Declared = { variables: new Set(), locals: new Set(), addresses: new Map() };
  const seen = new Map<string, string>();
  const declare = (path: string, report: Report, kind: string, name: string) => {
    const other = seen.get(`${kind} ${name}`);
    if (other) report(`${kind} ${name}`, `is also declared in ${other}`);
    seen.set(`${kind} ${name}`, path);
  };
  const schemaOf = (type: string) => schemas.find((s) => type.startsWith(`${s.name}_`));
  let backends = 0;

  // First pass: structure, labels, bodies against schemas, and what each file declares.
  for (const [path, doc] of docs) {
    const report: Report = (where, message) => problems.push(`${path}: ${where}: ${message}`);
    for (const [key, value] of Object.entries(doc)) {
      if (!TOP_LEVEL.has(key)) { report(key, 'is not a top-level block type of Terraform'); continue; }
      if (key === '//') { if (typeof value !== 'string') report('//', 'a comment must be a string'); continue; }
      if (!isObject(value)) { report(key, 'must be a JSON object'); continue; }
      switch (key) {
        case 'terraform':
          backends += checkTerraformBlock(value, report);
          break;
        case 'variable':
          for (const [name, body] of Object.entries(value)) {
            if (!labelOk(name, `variable ${name}`, report)) continue;
            declare(path, report, 'variable', name);
            declared.variables.add(name);
            if (!isObject(body)) report(`variable ${name}`, 'must be a JSON object');
            else for (const k of Object.keys(body)) if (!VARIABLE_KEYS.has(k)) report(`variable ${name}.${k}`, 'is not a variable argument');
          }
          break;
        case 'locals':
          for (const name of Object.keys(value)) {
            if (name === '//' || !labelOk(name, `locals ${name}`, report)) continue;
            declare(path, report, 'local', name);
            declared.locals.add(name);
          }
          break;
        case 'provider':
          for (const [name, body] of Object.entries(value)) {
            const schema = schemas.find((s) => s.name === name);
            if (!schema) { report(`provider ${name}`, 'no schema for this provider'); continue; }
            for (const item of Array.isArray(body) ? body : [body]) checkProvider(schema.provider, item, `provider.${name}`, report);
          }
          break;
        case 'resource':
        case 'data':
          for (const [type, byName] of Object.entries(value)) {
            const schema = schemaOf(type);
            const block = key === 'resource' ? schema?.resources[type] : schema?.dataSources[type];
            if (!block) { report(`${key}.${type}`, `unknown ${key === 'resource' ? 'resource type' : 'data source'} for the pinned providers`); continue; }
            if (!isObject(byName)) { report(`${key}.${type}`, 'must be a JSON object keyed by name'); continue; }
            for (const [name, body] of Object.entries(byName)) {
              const address = key === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
              if (!labelOk(name, address, report)) continue;
              declare(path, report, key, `${type}.${name}`);
              declared.addresses.set(address, new Set(['id', ...Object.keys(block.attributes), ...Object.keys(block.blocks)]));
              (key === 'resource' ? checkResource : checkDataSource)(block, body, address, report);
            }
          }
          break;
        default:
          report(key, 'is not produced by this generator, so it is not checked here');
      }
    }
  }
  if (backends !== 1) problems.push(`${dir}: terraform.backend: the root needs exactly one backend, found ${backends}`);

  // Second pass: every template sequence is an escape or a reference that resolves.
  for (const [path, doc] of docs) {
    const report: Report = (where, message) => problems.push(`${path}: ${where}: ${message}`);
    walkStrings(doc, '', (text, where) => checkTemplate(text, where, declared, report));
  }
  return problems;
}

function labelOk(name: string, where: string, report: Report): boolean {
  if (IDENTIFIER.test(name)) return true;
  report(where, `"${name}" is not a valid label (a letter or "_", then letters, digits, "_" or "-")`);
  return false;
}

/** Returns the number of backends declared. */
function checkTerraformBlock(block: Record<string, unknown>, report: Report): number {
  for (const k of Object.keys(block)) if (!TERRAFORM_KEYS.has(k)) report(`terraform.${k}`, 'is not a terraform block argument');
  const providers = block.required_providers;
  if (providers !== undefined) {
    if (!isObject(providers)) report('terraform.required_providers', 'must be a JSON object');
    else for (const [name, req] of Object.entries(providers)) {
      if (!isObject(req) || typeof req.source !== 'string' || typeof req.version !== 'string') report(`terraform.required_providers.${name}`, 'needs a "source" and a "version"');
      else if (!/^=?\s*\d+\.\d+\.\d+$/.test(req.version)) report(`terraform.required_providers.${name}.version`, `"${req.version}" is not pinned to one release`);
    }
  }
  const backend = block.backend;
  if (backend === undefined) return 0;
  if (!isObject(backend) || Object.keys(backend).length !== 1) {
    report('terraform.backend', 'must hold exactly one backend type');
    return 0;
  }
  const [[type, config]] = Object.entries(backend);
  const spec = BACKENDS[type];
  if (!spec) { report(`terraform.backend.${type}`, 'is not a remote backend this project uses (s3, consul)'); return 1; }
  if (!isObject(config)) { report(`terraform.backend.${type}`, 'must be a JSON object'); return 1; }
  for (const k of Object.keys(config)) if (k !== '//' && !spec.allowed.includes(k)) report(`terraform.backend.${type}.${k}`, 'is not an argument of this backend');
  for (const k of spec.required) if (!(k in config)) report(`terraform.backend.${type}.${k}`, 'is required');
  if (!spec.locks(config)) report(`terraform.backend.${type}`, 'does not lock state');
  // Backend blocks take no references or interpolation at all.
  for (const [k, v] of Object.entries(config)) if (typeof v === 'string' && v.includes('${')) report(`terraform.backend.${type}.${k}`, 'backends cannot use interpolation');
  return 1;
}

function walkStrings(value: unknown, where: string, visit: (text: string, where: string) => void): void {
  if (typeof value === 'string') visit(value, where);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, `${where}[${i}]`, visit));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '//') continue; // comments are not evaluated
      visit(k, `${where}{key ${k}}`);
      walkStrings(v, where ? `${where}.${k}` : k, visit);
    }
  }
}

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const TAIL = `((?:\\.${NAME}|\\[\\d+\\])*)`;
const VAR_OR_LOCAL = new RegExp(`^(var|local)\\.(${NAME})${TAIL}$`);
const DATA_REF = new RegExp(`^data\\.([a-z][a-z0-9_]*)\\.(${NAME})\\.(${NAME})${TAIL}$`);
const RESOURCE_REF = new RegExp(`^([a-z][a-z0-9_]*)\\.(${NAME})\\.(${NAME})${TAIL}$`);

/** `$${` and `%%{` are escapes; `${` must hold a reference that resolves; `%{` is never rendered. */
function checkTemplate(text: string, where: string, declared: Declared, report: Report): void {
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) { i += 2; continue; }
    if (text.startsWith('%{', i)) { report(where, `unescaped template directive "%{" (write "%%{" for a literal)`); continue; }
    if (!text.startsWith('${', i)) continue;
    const end = text.indexOf('}', i + 2);
    if (end < 0) { report(where, 'unterminated "${" (write "$${" for a literal)'); return; }
    const expr = text.slice(i + 2, end);
    checkReference(expr, where, declared, report);
    i = end;
  }
}

function checkReference(expr: string, where: string, declared: Declared, report: Report): void {
  let m = VAR_OR_LOCAL.exec(expr);
  if (m) {
    const known = m[1] === 'var' ? declared.variables : declared.locals;
    if (!known.has(m[2])) report(where, `\${${expr}}: no ${m[1] === 'var' ? 'variable' : 'local'} "${m[2]}" in this root`);
    return;
  }
  m = DATA_REF.exec(expr);
  const address = m ? `data.${m[1]}.${m[2]}` : undefined;
  const r = m ?? RESOURCE_REF.exec(expr);
  if (!r) {
    report(where, `\${${expr}} is not a reference this generator renders; a literal "\${" must be written "$\${"`);
    return;
  }
  const attrs = declared.addresses.get(address ?? `${r[1]}.${r[2]}`);
  if (!attrs) report(where, `\${${expr}}: ${address ?? `${r[1]}.${r[2]}`} is not declared in this root`);
  else if (!attrs.has(r[3])) report(where, `\${${expr}}: "${r[3]}" is not an attribute of ${address ?? `${r[1]}.${r[2]}`}`);
}
