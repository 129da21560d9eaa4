/**
 * Caches a pure function of one object for as long as that object lives. Definitions never
 * change once defined, so a fact derived from one (an environment, a list of agents) is derived
 * once. The model imports nothing, so it keeps this small copy of the idea rather than render's.
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
