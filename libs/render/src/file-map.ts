import type { Environment, Problem } from '@infra/model';

/**
 * What a generator produces: path (relative to `rendered/<env>/`, forward slashes) → file text.
 * Generators never touch the disk; only the writer does.
 */
export type FileMap = Map<string, string>;

/** What a generator may know beyond its own environment (a DR environment's production). */
export interface RenderContext {
  environment(name: string): Environment | undefined;
}

/** A pure function from an environment to files: no file system, clock, randomness or network. */
export interface Generator {
  /** Recorded in the manifest beside each file it produced. */
  name: string;
  /**
   * Problems only this generator can see (an image without a tag, user-data over 16 KB, an
   * environment over capacity). Run with validation, before anything renders, so that every
   * problem of every generator is reported at once.
   */
  check?(env: Environment, ctx: RenderContext): Problem[];
  /** Called only on an environment whose validation and checks found no problem. */
  generate(env: Environment, ctx: RenderContext): FileMap;
}

/** One environment's complete output, each file tagged with the generator that made it. */
export interface RenderedFile {
  generator: string;
  content: string;
}
export type RenderedTree = Map<string, RenderedFile>;
