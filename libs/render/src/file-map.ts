import type { Environment, Problem } from '@infra/model';
import type { KindOutputs, Provided, ProvidingKind } from './needs';

/**
 * A map that refuses a second write of one key: two writes of one path are a bug (one would
 * silently lose the other's file), caught at the write, naming the path (Tanka refuses a file
 * that already exists). Built from entries, it refuses a duplicate among them too.
 */
class WriteOnceMap<V> extends Map<string, V> {
  override set(path: string, value: V): this {
    if (this.has(path)) throw new Error(`${path} is written twice; each path has one owner (a bug in the generator that wrote it)`);
    return super.set(path, value);
  }
}

/**
 * What a generator produces: path (relative to `rendered/<env>/`, forward slashes) → file text.
 * Generators never touch the disk; only the writer does. A plain Map is not a FileMap (the
 * private brand makes the type nominal), so every generator builds its files through this class.
 */
export class FileMap extends WriteOnceMap<string> {
  protected readonly kind = 'file-map';
  /** The same files, in path order (for consumers that iterate the map as it is). */
  sorted(): FileMap {
    return new FileMap([...this].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** What a generator may know beyond its own environment (a DR environment's production). */
export interface EnvironmentContext {
  environment(name: string): Environment | undefined;
}

/**
 * The context a generator runs in. `needs` holds the outputs of exactly the kinds it declared
 * (the registry passes them in: see wireGenerators); a generator that needs nothing gets none.
 */
export type RenderContext<N extends ProvidingKind = never> = EnvironmentContext &
  ([N] extends [never] ? { readonly needs?: Provided<never> } : { readonly needs: Provided<N> });

/** A pure function from an environment to files: no file system, clock, randomness or network. */
export interface Generator<N extends ProvidingKind = never> {
  /** Recorded in the manifest beside each file it produced; the kind's name in `needs`. */
  name: string;
  /**
   * The kinds whose output this one reads (terraform embeds cloud-init's user-data). The
   * registry runs them first and passes their outputs in `ctx.needs`; a kind never imports
   * another (DESIGN §2), and never sees an output it did not declare.
   */
  readonly needs?: readonly N[];
  /**
   * Problems only this generator can see (an image without a tag, user-data over 16 KB, an
   * environment over capacity). Run with validation, before anything renders, so that every
   * problem of every generator is reported at once.
   */
  check?(env: Environment, ctx: RenderContext<N>): Problem[];
  /** Called only on an environment whose validation and checks found no problem. */
  generate(env: Environment, ctx: RenderContext<N>): FileMap;
}

/** A generator whose kind gives others its output (named in KindOutputs). */
export type Provider<K extends ProvidingKind, N extends ProvidingKind = never> = Generator<N> & {
  readonly name: K;
  readonly provides: KindOutputs[K];
};

/** Any generator as a registry holds it, whatever it needs and provides. */
export type RegisteredGenerator = Generator<ProvidingKind> & { readonly provides?: KindOutputs[ProvidingKind] };

/** One environment's complete output, each file tagged with the generator that made it. */
export interface RenderedFile {
  generator: string;
  content: string;
}
/** An environment's files by path; a second write of one path throws, like FileMap. */
export class RenderedTree extends WriteOnceMap<RenderedFile> {
  protected readonly kind = 'rendered-tree';
}
