// Secrets never reach rendered/: a SecretRef must be a well-formed Vault reference wherever it
// appears in a definition (a cast or a plain object literal bypasses the `secret()` helper), and
// no other string may hold a credential (a URL with a password, a known token shape).
import { SECRET_PATH, type Environment, type Problem } from '@infra/model';

/** Credential shapes that have no business in a definition, each with what it is called. */
const CREDENTIALS: [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i, 'a URL with a password'],
  [/-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/, 'a private key'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{22,}\b/, 'a GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, 'a Slack token'],
  [/\b[sr]k_live_[A-Za-z0-9]{16,}\b/, 'a Stripe key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON Web Token'],
];

/**
 * One regular expression matching whatever any of CREDENTIALS matches (their union, all made
 * case-insensitive, which only widens them): most strings of a definition match none, and one
 * test costs a fraction of ten. A string it matches is tested against each shape in order, so the
 * answer is the same. A shape with another flag than `i` (u, s, m, …) could mean something else
 * inside the union: refused when the module loads.
 */
const ANY_CREDENTIAL = new RegExp(CREDENTIALS.map(([re]) => {
  if (re.flags !== '' && re.flags !== 'i') throw new Error(`credential shape ${re} has flags "${re.flags}": only "i" keeps the union ANY_CREDENTIAL equal to the shapes (libs/validate/src/secret-rules.ts)`);
  return `(?:${re.source})`;
}).join('|'), 'i');

export function credentialIn(text: string): string | undefined {
  if (!ANY_CREDENTIAL.test(text)) return undefined;
  return CREDENTIALS.find(([re]) => re.test(text))?.[1];
}

const isRefLike = (x: object) => Object.prototype.hasOwnProperty.call(x, 'vault');

/**
 * Walks every value of the environment, naming array items by their `name` or `id` (stable
 * names, never positions) as the other rules do. `at` is one path stack, pushed and popped as
 * the walk goes (a copy of the path per value was most of what this rule allocated on a large
 * definition): `visit` reads it and must copy what it keeps.
 */
function walk(node: unknown, at: string[], visit: (value: unknown, at: readonly string[]) => boolean): void {
  if (!visit(node, at) || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      if (!(i in node)) continue; // a hole, as forEach skips it
      const item: unknown = node[i];
      const key = item && typeof item === 'object' ? ((item as Record<string, unknown>).name ?? (item as Record<string, unknown>).id) : undefined;
      at.push(typeof key === 'string' ? (key.startsWith('/') ? key.slice(1) : key) : `[${i}]`);
      walk(item, at, visit);
      at.pop();
    }
    return;
  }
  for (const key of Object.keys(node).sort()) {
    at.push(key);
    walk((node as Record<string, unknown>)[key], at, visit);
    at.pop();
  }
}

export function checkSecrets(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const report = (at: readonly string[], message: string) => problems.push({ env: env.name, path: at.join('/'), message });
  walk(env, [], (value, at) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && isRefLike(value)) {
      const ref = (value as { vault: unknown }).vault;
      if (typeof ref !== 'string' || !SECRET_PATH.test(ref)) {
        report([...at, 'vault'], `${JSON.stringify(ref)} is not a Vault reference: a secret is written as secret("<vault path>#<key>"), e.g. secret("kv/ledger/db#password"), and its value is kept in Vault, never in a definition`);
      }
      return false;
    }
    if (typeof value === 'string') {
      const what = credentialIn(value);
      if (what) report(at, `holds ${what}: a credential must not reach rendered/; put it in Vault and reference it from the app's "secrets" as secret("kv/<path>#<key>")`);
    }
    return true;
  });
  return problems;
}
