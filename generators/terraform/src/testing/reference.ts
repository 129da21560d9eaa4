// Loads the provider schemas from reference/ (copied from upstream, see reference/SOURCES.md).
// Imported only from tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fromMetadataModel, fromProvidersSchemaJson, type NewerAttribute, type ProviderSchema } from './provider-schema';
import { validateTerraformFiles } from './tf-validate';

const REPO = path.resolve(__dirname, '../../../..');
export const REFERENCE_DIR = process.env.INFRA_REFERENCE_DIR ?? path.resolve(REPO, 'reference');

/**
 * vSphere provider attributes newer than the 2.0.2 model that the rendered output uses. Empty:
 * everything rendered exists in 2.0.2. Anything added here must say which release added it.
 */
export const NEWER_VSPHERE_ATTRIBUTES: NewerAttribute[] = [];

function readJson(rel: string): unknown {
  const file = path.join(REFERENCE_DIR, rel);
  if (!fs.existsSync(file)) throw new Error(`reference file ${file} is missing: run node tools/vendor-reference.js`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

let cached: ProviderSchema[] | undefined;

/** AWS 6.19.0 and vSphere 2.0.2, parsed once per test process (the AWS file is 4.6 MB). */
export function providerSchemas(): ProviderSchema[] {
  cached ??= [
    fromProvidersSchemaJson(readJson('vadirajks-terraform-provider-schema-exporter/aws-provider-schema-v6.19.0.json'), 'registry.terraform.io/hashicorp/aws', 'aws'),
    fromMetadataModel(readJson('VladRassokhin-terraform-metadata/vsphere-provider-model-v2.0.2.json'), 'vsphere', NEWER_VSPHERE_ATTRIBUTES),
  ];
  return cached;
}

/** Every problem of the Terraform files in a generator's output. */
export function validateRendered(files: ReadonlyMap<string, string>): string[] {
  return validateTerraformFiles(files, providerSchemas());
}
