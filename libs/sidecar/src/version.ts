/**
 * The sidecar's version: printed by `--version`, part of the published executable's path
 * (`<artifacts>/<version>/infra-sidecar-linux-x64`), and what an environment's `sidecar.version`
 * names. Kept equal to package.json's by a test, so that the bundle needs no JSON at run time.
 */
export const VERSION = '1.0.0';
