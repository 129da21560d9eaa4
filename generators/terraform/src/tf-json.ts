// Terraform JSON building blocks shared by the vSphere and AWS roots. Every string that comes
// from a definition goes through `literal`, every reference through `ref`, so a value can never
// be read by Terraform as a template by accident.
import { generatedMarker, stableJson } from '@infra/render';

export const GENERATOR = 'terraform';

/** A parsed `.tf.json` file: top-level block type → its content. */
export type TfDocument = Record<string, unknown>;

/**
 * Terraform reads every JSON string as a template: `${` starts an interpolation and `%{` a
 * directive. Definitions are data, so both are escaped (`$${`, `%%{`).
 */
export function literal(text: string): string {
  // Replacement functions, not strings: in a replacement string "$$" would collapse to "$".
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** An interpolation of one reference, e.g. `ref('var.vsphere_password')`. */
export function ref(expression: string): string {
  return '${' + expression + '}';
}

/**
 * Labels (resource names, locals, variables) are HCL identifiers: a letter or underscore, then
 * letters, digits, underscores and dashes. Host names become labels, so they are checked first.
 */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * One `.tf.json` file. The `"//"` key is Terraform's comment key; stableJson sorts it first.
 * Keys are sorted at every level, so output never follows definition order.
 */
export function tfFile(document: TfDocument): string {
  return stableJson({ '//': generatedMarker(GENERATOR), ...document });
}

