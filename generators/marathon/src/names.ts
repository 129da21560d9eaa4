// Names derived from app ids and host names. Every rendered path, label and variable name comes
// from these, so that they depend on stable names only, never on positions in a list.

/** `/web/storefront` → `marathon/web/storefront.json` (relative to `rendered/<env>/`). */
export function appFilePath(appId: string): string {
  return `marathon/${appId.replace(/^\/+/, '')}.json`;
}

/**
 * The service-discovery name of an app: its path segments joined with dashes
 * (`/customers/api` → `customers-api`). Kept in path order so that it reads like the id, and
 * DNS-safe because app id segments are lowercase letters, digits, dots and dashes.
 */
export function serviceName(appId: string): string {
  return appId.split('/').filter((s) => s !== '').join('-').replace(/\./g, '-');
}

/** `db-ledger-01` → `DB_LEDGER_01`, `/ledger/api` → `LEDGER_API`: the part of a variable name. */
export function envToken(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * Where a problem about an app is reported: `apps/web/storefront/<rest>`, the form validation
 * uses (`apps${id}`), so that both read alike in one report.
 */
export function appPath(appId: string, ...rest: string[]): string {
  return [`apps${appId}`, ...rest].join('/');
}

// Marathon's port-name rules. The 1.8 JSON Schema says `^[a-z][a-z0-9-]*$`; the RAML types
// (authority for 1.5+, `strings.LegacyName`) say `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`. Marathon
// versions differ in which one they enforce, so a name must satisfy both.
export const PORT_NAME_SCHEMA = /^[a-z][a-z0-9-]*$/;
export const PORT_NAME_RAML = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isValidPortName(name: string): boolean {
  return PORT_NAME_SCHEMA.test(name) && PORT_NAME_RAML.test(name);
}
