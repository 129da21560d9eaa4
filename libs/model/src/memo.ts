/**
 * Caches a pure function of one object (an environment, a list of its parts) for as long as that
 * object lives. Definitions never change once defined, and generators ask the same derived
 * questions once per app or host: this keeps them linear without threading caches by hand. The
 * resolved environment is built on it; libs/render re-exports it for the kinds.
 */
export function perObject<K extends object, V>(fn: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    const value = fn(key);
    cache.set(key, value);
    return value;
  };
}
