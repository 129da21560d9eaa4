// Test support: a throwaway copy of the workspace's definitions and rendered/ tree, and a way
// to run the real `infra` command against it as a separate process.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../../..');
export const BIN = path.join(REPO, 'libs/cli/bin/infra.js');

export function copyWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-ws-'));
  fs.cpSync(path.join(REPO, 'environments'), path.join(dir, 'environments'), { recursive: true });
  fs.cpSync(path.join(REPO, 'rendered'), path.join(dir, 'rendered'), { recursive: true });
  return dir;
}

export function infra(root: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, INFRA_ROOT: root, ...env } });
}

export function infraAsync(root: string, args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: root, env: { ...process.env, INFRA_ROOT: root }, stdio: 'ignore' });
}

/** One hash over every path and byte under `dir`: equal hashes mean byte-identical trees. */
export function treeHash(dir: string): string {
  const h = createHash('sha256');
  if (!fs.existsSync(dir)) return 'absent';
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
  for (const f of files) h.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
  return h.digest('hex');
}

export function edit(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit: ${String(from)} not found in ${file}`);
  fs.writeFileSync(file, next);
}
