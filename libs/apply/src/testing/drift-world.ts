import * as path from 'node:path';
import { STANDIN_BIN } from './standins';

// The drift stand-ins (testing/drift-bin: terraform with plan -refresh-only, ssh with dpkg-query and
// safemode) first on PATH, before apply's (whose scp they share). Test support only.

export const DRIFT_BIN = path.join(__dirname, 'drift-bin');

export function driftPath(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = (env.PATH ?? '').split(path.delimiter).filter((p) => p !== STANDIN_BIN);
  return { ...env, PATH: [DRIFT_BIN, STANDIN_BIN, ...rest].join(path.delimiter) };
}
