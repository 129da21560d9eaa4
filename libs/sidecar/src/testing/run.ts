// Test support: runs a sidecar command (the bin from source, or the built executable) as a
// real process, collecting its output and exit code.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Running {
  process: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runSidecar(command: string[], env: Record<string, string>): Running {
  const child = spawn(command[0], command.slice(1), { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { process: child, stderr: () => err, stdout: () => out, exit };
}
