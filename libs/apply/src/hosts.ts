import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StepFailed } from './errors';

// Talking to a host: `ssh` and `scp` from PATH (DESIGN §3), never interactively (BatchMode), each
// command with a deadline; a file is written on the host atomically (copied beside its place,
// then renamed over it), so a reader never sees half a file.

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HostShell {
  run(host: string, command: string, timeoutMs?: number): Promise<CommandResult>;
  copy(host: string, localFile: string, remotePath: string, timeoutMs?: number): Promise<void>;
}

const SSH_OPTIONS = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15'];

export class SshShell implements HostShell {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  run(host: string, command: string, timeoutMs = 120_000): Promise<CommandResult> {
    return exec('ssh', [...SSH_OPTIONS, host, '--', command], this.env, timeoutMs);
  }

  async copy(host: string, localFile: string, remotePath: string, timeoutMs = 120_000): Promise<void> {
    const res = await exec('scp', ['-q', ...SSH_OPTIONS, localFile, `${host}:${remotePath}`], this.env, timeoutMs);
    if (res.code !== 0) throw new StepFailed(`scp to ${host}:${remotePath} failed (exit ${res.code}): ${res.stderr.trim().split('\n').pop() ?? ''}. Check that the host is reachable over ssh with the key of this runner, then run infra apply again.`);
  }
}

function exec(binary: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? new StepFailed(`${binary} was not found on PATH: install OpenSSH's client on this runner, and run again.`) : e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? 124 : code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + (signal ? `\n(killed: no answer within ${timeoutMs} ms)` : '') });
    });
  });
}

/** Runs `command` on `host` and fails the step (naming host and command) unless it exits 0. */
export async function mustRun(shell: HostShell, host: string, command: string, timeoutMs?: number): Promise<string> {
  const res = await shell.run(host, command, timeoutMs);
  if (res.code !== 0) {
    throw new StepFailed(`${host}: \`${command}\` failed (exit ${res.code}): ${res.stderr.trim().split('\n').slice(-2).join(' ')}. Check the host, then run infra apply again: it resumes here.`);
  }
  return res.stdout;
}

/** Directories known to exist, per shell and host (one mkdir per directory, not per file). */
const madeDirs = new WeakMap<HostShell, Set<string>>();

/** Writes `content` to `remotePath` on `host`: a temporary file beside it, then a rename. */
export async function pushFile(shell: HostShell, host: string, remotePath: string, content: string): Promise<void> {
  if (!madeDirs.has(shell)) madeDirs.set(shell, new Set());
  const made = madeDirs.get(shell)!;
  const local = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'infra-push-')), path.basename(remotePath));
  try {
    fs.writeFileSync(local, content);
    const dir = path.posix.dirname(remotePath);
    const tmp = `${remotePath}.infra-tmp`;
    if (!made.has(`${host}:${dir}`)) {
      await mustRun(shell, host, `mkdir -p ${dir}`);
      made.add(`${host}:${dir}`);
    }
    await shell.copy(host, local, tmp);
    await mustRun(shell, host, `mv -f ${tmp} ${remotePath}`);
  } finally {
    fs.rmSync(path.dirname(local), { recursive: true, force: true });
  }
}
