// Test support (imported only by *.test.ts): Marathon's own AppDefinition schema from
// ../shared/reference, tightened by the RAML types where they are stricter.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

export const MARATHON_REFERENCE = path.resolve(__dirname, '../../../../reference/mesosphere-marathon');

/**
 * Fields that only the RAML types (Marathon 1.5–1.10) know, allowed on top of the 1.8 JSON
 * Schema: field → the RAML file defining it. Empty on purpose: every field this generator writes
 * is in the schema, so nothing needs allowing. A field added here must name its RAML source.
 */
export const RAML_ONLY_FIELDS: Record<string, string> = {};

// Rules the RAML types state and the 1.8 schema leaves looser; a rendered app must meet both.
const RAML_TIGHTENINGS = {
  type: 'object',
  properties: {
    cpus: { minimum: 0.001 }, // app.raml
    constraints: { uniqueItems: true, items: { maxItems: 3 } }, // app.raml, constraint.raml AppConstraint
    dependencies: { uniqueItems: true }, // app.raml
    container: {
      properties: {
        // appContainer.raml ContainerPortMapping.name: strings.LegacyName
        portMappings: { items: { properties: { name: { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' } } } },
      },
    },
  },
};

export type AppValidator = (app: unknown) => string[];

/** Validates one app definition; returns ajv's messages as `<pointer> <message>`, empty when valid. */
export function appValidator(): AppValidator {
  const schema = JSON.parse(fs.readFileSync(path.join(MARATHON_REFERENCE, 'schema/AppDefinition.json'), 'utf8'));
  // "http://json-schema.org/schema#" is not a meta-schema ajv knows; the keywords are draft-04.
  delete schema.$schema;
  for (const field of Object.keys(RAML_ONLY_FIELDS)) schema.properties[field] = {};
  // strict: false because the schema carries non-keywords (e.g. `cpus` directly inside
  // `executorResources`) that ajv's strict mode would refuse to compile.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const checks = [ajv.compile(schema), ajv.compile(RAML_TIGHTENINGS)];
  return (app) =>
    checks.flatMap((check) => (check(app) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`)));
}
