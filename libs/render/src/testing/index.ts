// Test support shared by every generator's tests: golden files and shuffled definitions.
// Imported only from *.test.ts files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Environment } from '@infra/model';
import type { FileMap } from '../file-map';

/**
 * Compares a generator's output with the committed golden files under `dir`. With
 * UPDATE_GOLDEN=1 it rewrites them instead (then review the diff and commit it). Returns the
 * differences as messages, so a test can assert `[]` and show every mismatch at once.
 */
export function compareGolden(dir: string, files: FileMap): string[] {
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [rel, content] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    return [];
  }
  const problems: string[] = [];
  const onDisk = listFiles(dir);
  for (const [rel, content] of files) {
    if (!onDisk.has(rel)) problems.push(`${rel}: not in golden ${dir} (run with UPDATE_GOLDEN=1)`);
    else if (fs.readFileSync(path.join(dir, rel), 'utf8') !== content) problems.push(`${rel}: differs from golden (run with UPDATE_GOLDEN=1 and review the diff)`);
  }
  for (const rel of onDisk) if (!files.has(rel)) problems.push(`${rel}: golden file no longer generated`);
  return problems;
}

function listFiles(dir: string): Set<string> {
  const out = new Set<string>();
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.add(path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'));
  }
  return out;
}

/** Lists whose order carries no meaning; shuffling them must not change any output byte. */
const UNORDERED = new Set(['subnets', 'hostGroups', 'hosts', 'apps', 'hadoop', 'dependsOn', 'patches', 'packages', 'roles', 'exclusions', 'transports']);

/** A deep copy of `env` with every unordered list shuffled by a seeded generator. */
export function shuffled(env: Environment, seed = 1): Environment {
  let state = seed >>> 0 || 1;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const visit = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) {
      const items = value.map((v) => visit(v, ''));
      if (UNORDERED.has(key)) {
        for (let i = items.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [items[i], items[j]] = [items[j], items[i]];
        }
      }
      return items;
    }
    if (value === null || typeof value !== 'object') return value;
    // Rebuild objects with reversed keys too: output must not follow definition key order.
    const entries = Object.entries(value).reverse().map(([k, v]) => [k, visit(v, k)]);
    return Object.fromEntries(entries);
  };
  return visit(env, '') as Environment;
}
