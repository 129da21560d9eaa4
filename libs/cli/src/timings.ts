// INFRA_TIMINGS=1 prints where a command's time went (to stderr), for profiling and the benchmark
// notes. Off by default: it must never change what a command prints on stdout.
import type { Generator } from '@infra/render';

const enabled = process.env.INFRA_TIMINGS === '1';
const spent = new Map<string, number>();
const started = performance.now();

export function timed<T>(label: string, fn: () => T): T {
  if (!enabled) return fn();
  const t = performance.now();
  try {
    return fn();
  } finally {
    spent.set(label, (spent.get(label) ?? 0) + performance.now() - t);
  }
}

export async function timedAsync<T>(label: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const t = performance.now();
  try {
    return await fn();
  } finally {
    spent.set(label, (spent.get(label) ?? 0) + performance.now() - t);
  }
}

/** The generators with each check and generate timed under its own name. */
export function timedGenerators(generators: readonly Generator[]): readonly Generator[] {
  if (!enabled) return generators;
  return generators.map((g) => ({
    name: g.name,
    ...(g.check ? { check: (env, ctx) => timed(`check ${g.name}`, () => g.check!(env, ctx)) } : {}),
    generate: (env, ctx) => timed(`generate ${g.name}`, () => g.generate(env, ctx)),
  }));
}

if (enabled) {
  process.on('exit', () => {
    const lines = [...spent].map(([label, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${label}`);
    process.stderr.write(`timings (process up ${(performance.now() + performance.timeOrigin - performance.timeOrigin).toFixed(0)} ms, command ${(performance.now() - started).toFixed(0)} ms):\n${lines.join('\n')}\n`);
  });
}
