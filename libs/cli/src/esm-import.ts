// How the CLI imports an ES module (secretlint is ESM only; the CLI is CommonJS, bundled or
// through tsx, which would turn a plain import() into require()). A Function keeps the native
// import(). Code that the bin compiles itself with vm.Script (to use V8's code cache) cannot
// import() at all without --experimental-vm-modules, so the bin, a file Node loaded, hands in
// its own import() through setEsmImport before the command runs.

export type EsmImport = (url: string) => Promise<Record<string, unknown>>;

let importer: EsmImport | undefined;

/** Called by the bin (libs/cli/bin/infra.js) with an import() that works where it runs. */
export function setEsmImport(f: EsmImport): void {
  importer = f;
}

/** import(url), by the bin's importer when it gave one. */
export function importEsm(url: string): Promise<Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  importer ??= new Function('url', 'return import(url)') as EsmImport;
  return importer(url);
}
