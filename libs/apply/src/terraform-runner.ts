import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from '@infra/render';
import { StepFailed } from './errors';

// Runs terraform the way DESIGN §3/§4 allow: on a copy of rendered/<env>/terraform in a work
// directory outside rendered/ (TF_DATA_DIR beside it), never interactively (-input=false,
// TF_IN_AUTOMATION=1), waiting for the backend's lock (-lock-timeout), its output streamed line
// by line with a prefix; a saved plan read with `show -json` and applied exactly.

export interface ResourceChange {
  address: string;
  type: string;
  name: string;
  change: { actions: string[]; before?: unknown; after?: unknown };
}

export interface TerraformRunnerOptions {
  /** `terraform` from PATH unless INFRA_TERRAFORM names another. */
  binary?: string;
  /** Where the configuration is copied (outside rendered/). */
  workDir: string;
  lockTimeout?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface RunResult {
  code: number;
  stdout: string;
  /** The last lines of output, for the record. */
  tail: string[];
}

const TAIL = 40;

export class TerraformRunner {
  readonly binary: string;
  readonly configDir: string;
  readonly dataDir: string;
  private readonly log: (line: string) => void;
  /** The last lines of everything run, for the record. */
  readonly tail: string[] = [];

  constructor(private readonly options: TerraformRunnerOptions) {
    this.binary = options.binary ?? options.env?.INFRA_TERRAFORM ?? 'terraform';
    this.configDir = path.join(options.workDir, 'config');
    this.dataDir = path.join(options.workDir, 'data');
    this.log = options.log ?? (() => {});
  }

  /**
   * Writes the terraform files of `tree` into the work directory, replacing the previous copy's
   * configuration (the provider cache and lock file of an earlier init stay).
   */
  prepare(tree: Tree): string[] {
    if (this.configDir.split(path.sep).includes('rendered')) throw new Error(`terraform work directory ${this.configDir} is inside rendered/`);
    fs.mkdirSync(this.configDir, { recursive: true });
    fs.mkdirSync(this.dataDir, { recursive: true });
    for (const f of fs.readdirSync(this.configDir)) if (f.endsWith('.tf.json') || f.endsWith('.plan')) fs.rmSync(path.join(this.configDir, f));
    const files: string[] = [];
    for (const [p, text] of tree) {
      const m = /^terraform\/([^/]+\.tf\.json)$/.exec(p);
      if (!m) continue;
      fs.writeFileSync(path.join(this.configDir, m[1]), text);
      files.push(m[1]);
    }
    return files.sort();
  }

  async init(): Promise<void> {
    await this.must(['init', '-input=false', `-lock-timeout=${this.lockTimeout}`], 'init');
  }

  /** A saved plan; true when it has changes (exit 2 of -detailed-exitcode). */
  async plan(file: string, targets: string[] = []): Promise<boolean> {
    const res = await this.run(['plan', '-input=false', `-lock-timeout=${this.lockTimeout}`, '-detailed-exitcode', `-out=${file}`, ...targets.map((t) => `-target=${t}`)]);
    if (res.code === 0 || res.code === 2) return res.code === 2;
    throw this.failure('plan', res);
  }

  async show(file: string): Promise<ResourceChange[]> {
    const res = await this.run(['show', '-json', file], { quiet: true });
    if (res.code !== 0) throw this.failure('show', res);
    let doc: { resource_changes?: ResourceChange[] };
    try {
      doc = JSON.parse(res.stdout);
    } catch {
      throw new StepFailed(`terraform show -json ${file} printed no JSON; is ${this.binary} terraform?`);
    }
    return doc.resource_changes ?? [];
  }

  async apply(file: string): Promise<void> {
    await this.must(['apply', '-input=false', `-lock-timeout=${this.lockTimeout}`, file], 'apply');
  }

  private get lockTimeout(): string {
    return this.options.lockTimeout ?? '300s';
  }

  private async must(args: string[], what: string): Promise<RunResult> {
    const res = await this.run(args);
    if (res.code !== 0) throw this.failure(what, res);
    return res;
  }

  private failure(what: string, res: RunResult): StepFailed {
    const last = res.tail.filter((l) => l.trim()).slice(-8).map((l) => `  ${l}`).join('\n');
    return new StepFailed(`terraform ${what} failed (exit ${res.code}):\n${last}\nFix the cause above and run infra apply again: it resumes at this step.`);
  }

  run(args: string[], opts: { quiet?: boolean } = {}): Promise<RunResult> {
    this.log(`terraform: $ terraform ${args.join(' ')}`);
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, {
        cwd: this.configDir,
        env: { ...(this.options.env ?? process.env), TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_DATA_DIR: this.dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: string[] = [];
      const tail: string[] = [];
      const lines = (stream: NodeJS.ReadableStream, keep: boolean) => {
        let rest = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          if (keep) out.push(chunk);
          const parts = (rest + chunk).split('\n');
          rest = parts.pop()!;
          for (const line of parts) emit(line, keep);
        });
        stream.on('end', () => {
          if (rest) emit(rest, keep);
        });
      };
      const emit = (line: string, isStdout: boolean) => {
        const clean = line.replace(/\r$/, '');
        if (opts.quiet && isStdout) return;
        tail.push(clean);
        if (tail.length > TAIL) tail.shift();
        this.tail.push(clean);
        if (this.tail.length > TAIL) this.tail.shift();
        this.log(`terraform: ${clean}`);
      };
      lines(child.stdout!, true);
      lines(child.stderr!, false);
      child.on('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'ENOENT'
          ? new StepFailed(`terraform: "${this.binary}" was not found: put terraform on PATH (CI: hashicorp/setup-terraform) or set INFRA_TERRAFORM to its path, and run again.`)
          : err);
      });
      child.on('close', (code) => resolve({ code: code ?? 1, stdout: out.join(''), tail }));
    });
  }
}
