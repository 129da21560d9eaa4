import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApplyBusy } from './errors';

// One apply per environment at a time on this machine (in Actions, `concurrency: apply-<env>`
// does it across runners). A lock left by a process that died is taken over.

export function acquireApplyLock(file: string, env: string): () => void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new ApplyBusy(`another infra apply of ${env} is running (process ${pid}, lock ${file}); wait for it to finish, then run again.`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new ApplyBusy(`could not take the apply lock ${file} of ${env}; try again.`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
