// Derives the JSON Schema of the model from its TypeScript types: the types are written once,
// the schema is generated and committed (environment.schema.json), and a test fails when stale.
// Run `npm run schema` after changing libs/model.
import * as path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = path.resolve(__dirname, '../../..');
export const SCHEMA_FILE = path.join(__dirname, 'environment.schema.json');

export function generateSchemaText(): string {
  const schema = createGenerator({
    path: path.join(ROOT, 'libs/model/src/environment.ts'),
    tsconfig: path.join(ROOT, 'libs/model/tsconfig.json'),
    type: 'Environment',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    sortProps: true,
    skipTypeCheck: true,
  }).createSchema('Environment');
  return JSON.stringify(schema, null, 2) + '\n';
}

if (require.main === module) {
  require('node:fs').writeFileSync(SCHEMA_FILE, generateSchemaText());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
