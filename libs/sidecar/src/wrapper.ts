// Runs the app's own command as the sidecar's child: stdio shared, the signals a container
// runtime sends passed on, and the child's end turned into the sidecar's exit code (128 + the
// signal number when a signal ended it, as a shell reports it). Orphans of the app are reaped
// by the container's init (`--init`, which the render asks Docker for), the app itself here.
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';

export const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export interface Child {
  process: ChildProcess;
  /** The exit code the sidecar should end with. */
  exited: Promise<number>;
}

export function startChild(command: readonly string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Child {
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
  const exited = new Promise<number>((resolve) => {
    child.once('error', (err) => {
      log(`cannot start ${command[0]}: ${err.message}`);
      // 127 as a shell says "command not found", 126 for "cannot execute".
      resolve((err as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126);
    });
    child.once('exit', (code, signal) => {
      if (signal) {
        log(`${command[0]} ended by ${signal}`);
        resolve(128 + (os.constants.signals[signal] ?? 0));
      } else resolve(code ?? 1);
    });
  });
  return { process: child, exited };
}
