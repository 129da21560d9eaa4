import * as fs from 'node:fs';
import * as path from 'node:path';

// Reading the stand-in hosts of testing/bin/ssh: their files and the ordered log of every ssh/scp
// call. Test support only.

export interface SshLogEntry { host: string; command?: string; copy?: string; at: number }

export function sshLog(hostsDir: string): SshLogEntry[] {
  const file = path.join(hostsDir, 'ssh.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

export function hostFile(hostsDir: string, host: string, p: string): string | undefined {
  const file = path.join(hostsDir, host, p);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}
