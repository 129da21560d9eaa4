/**
 * A reference to a secret held in Vault. Rendered output carries only the reference; the value
 * is fetched at run time by whoever consumes it (Marathon's secret store, Terraform variables).
 *
 * It is an object, never a string, so that a plain-text value cannot be typed where a secret
 * goes: `password: "hunter2"` does not compile, `password: secret("kv/db/ledger#password")` does.
 */
export interface SecretRef {
  /**
   * Vault path and key, `<path>#<key>`, e.g. "kv/ledger/db#password". Checked by the schema and
   * the semantic rules wherever a SecretRef appears, not only by `secret()`.
   * @pattern ^[a-z0-9][a-z0-9_./-]*#[A-Za-z0-9_.-]+$
   */
  vault: string;
}

/** The form of `SecretRef.vault` (kept equal to its @pattern; a test compares them). */
export const SECRET_PATH = /^[a-z0-9][a-z0-9_./-]*#[A-Za-z0-9_.-]+$/;

/** Builds a secret reference from `<vault path>#<key>`. */
export function secret(vault: string): SecretRef {
  if (!SECRET_PATH.test(vault)) {
    throw new TypeError(`secret("${vault}"): expected "<vault path>#<key>", e.g. "kv/ledger/db#password"`);
  }
  return { vault };
}

export function isSecretRef(x: unknown): x is SecretRef {
  return typeof x === 'object' && x !== null && typeof (x as SecretRef).vault === 'string';
}
