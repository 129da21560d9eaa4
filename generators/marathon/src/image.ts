// Docker image references must be pinned: a tag or digest that does not move. `latest` and
// untagged images (which Docker reads as `latest`) would let the same rendered file run different
// code on different days, and a re-render would not show the change.

export interface ImageRef {
  /** Registry and repository, e.g. `registry.example.net/web/storefront`. */
  name: string;
  tag?: string;
  digest?: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
// Docker's repository grammar (lowercase path components, optional registry host[:port]).
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY = /^[A-Za-z0-9.-]+(?::[0-9]+)?$/;

/** Splits `name[:tag][@digest]`; the tag is a colon after the last slash (a registry port is not). */
export function parseImage(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  return { name: hasTag ? rest.slice(0, colon) : rest, tag: hasTag ? rest.slice(colon + 1) : undefined, digest };
}

/** Why `ref` may not be deployed, or undefined when it is pinned and well formed. */
export function imageProblem(ref: string): string | undefined {
  if (ref.trim() === '') return 'image is empty';
  const { name, tag, digest } = parseImage(ref);
  if (!isRepository(name)) return `"${ref}" is not a Docker image reference (lowercase repository path, optional registry host)`;
  if (tag !== undefined && !TAG.test(tag)) return `"${ref}" has a malformed tag "${tag}"`;
  if (digest !== undefined && !DIGEST.test(digest)) return `"${ref}" has a malformed digest "${digest}" (expected e.g. sha256:<64 hex digits>)`;
  if (tag === 'latest') {
    return `"${ref}" uses the tag "latest", which moves: pin a version tag or a digest`;
  }
  if (tag === undefined && digest === undefined) {
    return `"${ref}" has no tag: pin a version tag or a digest, e.g. "${name}:1.2.3" or "${name}@sha256:<digest>"`;
  }
  return undefined;
}

function isRepository(name: string): boolean {
  const parts = name.split('/');
  // The first part is a registry when it looks like a host (has a dot or port, or is localhost).
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) {
    if (!REGISTRY.test(parts[0])) return false;
    parts.shift();
  }
  return parts.length > 0 && parts.every((p) => COMPONENT.test(p));
}
