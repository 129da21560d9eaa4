// The upstream cloud-config JSON Schema (canonical/cloud-init, in ../shared/reference), for tests.
// It is draft-04 with custom keywords, so ajv runs in draft-04 mode and not strict; the versions
// schema refers to the v1 schema by its raw.githubusercontent URL, mapped here to the local copy.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

export const SCHEMA_DIR = path.resolve(__dirname, '../../../../reference/canonical-cloud-init/schemas');
const V1_URL = 'https://raw.githubusercontent.com/canonical/cloud-init/main/cloudinit/config/schemas/schema-cloud-config-v1.json';

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(read('schema-cloud-config-v1.json'), V1_URL);
const validate = ajv.compile(read('versions.schema.cloud-config.json'));

/**
 * cloud-init 0.7.5's `apt_sources` list is gone from the current schema (its successor is
 * `apt: { sources: { <name>: entry } }`, same entry keys): it is validated as its successor.
 */
function asCurrent(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as Record<string, unknown>).apt_sources)) return doc;
  const { apt_sources: list, ...rest } = doc as Record<string, unknown> & { apt_sources: Record<string, unknown>[] };
  const sources = Object.fromEntries(list.map((entry, i) => [String(entry.filename ?? `source-${i}`).replace(/\.list$/, ''), entry]));
  return { ...rest, apt: { sources } };
}

/** Schema errors of a parsed cloud-config document, as readable lines ([] when valid). */
export function upstreamErrors(doc: unknown): string[] {
  doc = asCurrent(doc);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
