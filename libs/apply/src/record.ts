import * as fs from 'node:fs';
import * as path from 'node:path';

// The record of DESIGN §3 outside Actions: per environment the last fully applied commit, and the
// current attempt (from, to, per step its status, timing, output tail and what of it is done), so
// a re-run for the same target skips what is done. Written atomically (temp + rename).

export type StepName = 'terraform' | 'marathon' | 'hadoop' | 'patches';
export const STEP_ORDER: StepName[] = ['terraform', 'marathon', 'hadoop', 'patches'];

export interface StepRecord {
  status: 'running' | 'done' | 'failed';
  startedAt: string;
  durationS?: number;
  /** The last lines of the step's output. */
  tail?: string[];
  /** Items of the step already done (apps, hosts, batches), skipped by a re-run. */
  done?: string[];
  error?: string;
}

export interface Attempt {
  from: string;
  to: string;
  startedAt: string;
  steps: Partial<Record<StepName, StepRecord>>;
}

export interface EnvironmentRecord {
  applied?: { commit: string; at: string };
  attempt?: Attempt;
}

export interface RecordFile {
  '//'?: string;
  environments: Record<string, EnvironmentRecord>;
}

/** Where apply remembers what it did; the file one, or GitHub Deployments in Actions. */
export interface ApplyRecord {
  read(env: string): Promise<EnvironmentRecord>;
  write(env: string, record: EnvironmentRecord): Promise<void>;
}

export class FileRecord implements ApplyRecord {
  constructor(readonly file: string) {}

  private load(): RecordFile {
    if (!fs.existsSync(this.file)) return { environments: {} };
    const doc = JSON.parse(fs.readFileSync(this.file, 'utf8')) as RecordFile;
    return { environments: doc.environments ?? {} };
  }

  async read(env: string): Promise<EnvironmentRecord> {
    return this.load().environments[env] ?? {};
  }

  async write(env: string, record: EnvironmentRecord): Promise<void> {
    const doc = this.load();
    doc.environments[env] = record;
    const sorted: RecordFile = { '//': 'Written by infra apply: what was applied where. Not committed.', environments: Object.fromEntries(Object.keys(doc.environments).sort().map((k) => [k, doc.environments[k]])) };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(sorted, null, 2) + '\n');
    fs.renameSync(tmp, this.file);
  }
}
