import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The stand-in executables of testing/bin (terraform, ssh, scp) put first on PATH, with a fresh
// state per test. Test support only.

export const STANDIN_BIN = path.join(__dirname, 'bin');

export interface StandinWorld {
  dir: string;
  env: NodeJS.ProcessEnv;
  statePath: string;
  /** Every terraform call: args, cwd and the environment that matters. */
  calls(): { args: string[]; cwd: string; TF_IN_AUTOMATION?: string; TF_DATA_DIR?: string }[];
  state(): { serial: number; resources: Record<string, { type: string; values: Record<string, unknown> }> };
  editState(edit: (s: ReturnType<StandinWorld['state']>) => void): void;
  cleanup(): void;
}

export function standinWorld(): StandinWorld {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-apply-'));
  const statePath = path.join(dir, 'terraform.tfstate.json');
  const logPath = path.join(dir, 'terraform-calls.jsonl');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${STANDIN_BIN}${path.delimiter}${process.env.PATH}`, FAKE_TF_STATE: statePath, FAKE_TF_LOG: logPath, FAKE_HOSTS: path.join(dir, 'hosts') };
  delete env.INFRA_TERRAFORM;
  const world: StandinWorld = {
    dir, env, statePath,
    calls: () => (fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    state: () => (fs.existsSync(statePath) ? JSON.parse(fs.readFileSync(statePath, 'utf8')) : { serial: 0, resources: {} }),
    editState: (edit) => {
      const s = world.state();
      edit(s);
      s.serial++;
      fs.writeFileSync(statePath, JSON.stringify(s, null, 2) + '\n');
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  return world;
}
