// The data disk script, run for real: on a loop device with the real blkid, mkfs and mount, in a
// private mount namespace (its mounts and its /etc/fstab vanish with it). The script is taken
// from the rendered user-data, so this is what a VM runs. Needs root, losetup and unshare (CI
// runs as root on the same kind of machine).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import YAML from 'yaml';
import lenexa from '@infra/env-lenexa';
import { renderUserData } from './index';

const group = lenexa.hostGroups.find((g) => g.name === 'db-ledger')!;
const doc = YAML.parse(renderUserData(lenexa, group), { version: '1.1' });
const SCRIPT = doc.write_files.find((f: { path: string }) => f.path === '/usr/local/sbin/infra-data-disk').content as string;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'data-disk-'));
const script = path.join(work, 'infra-data-disk');
fs.writeFileSync(script, SCRIPT, { mode: 0o755 });
const loops: string[] = [];

/** A new empty 32 MiB disk, as a loop device. */
function newDisk(): string {
  const image = path.join(work, `disk-${loops.length}.img`);
  fs.writeFileSync(image, '');
  fs.truncateSync(image, 32 * 1024 * 1024);
  const r = spawnSync('losetup', ['--find', '--show', image], { encoding: 'utf8' });
  assert.is(r.status, 0, `losetup (root and loop devices needed): ${r.stderr}`);
  loops.push(r.stdout.trim());
  return r.stdout.trim();
}

/**
 * Boots a "VM": a private mount namespace with an empty /etc/fstab, runs the script, then `after`
 * (shell, in the same namespace) while the disk is still mounted there.
 */
function boot(args: string[], after = 'true'): { status: number | null; out: string; err: string; fstab: string } {
  const dir = fs.mkdtempSync(path.join(work, 'vm-'));
  const fstab = path.join(dir, 'fstab');
  fs.writeFileSync(fstab, '# fstab of the test VM\n');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const inner = `mount --bind ${q(fstab)} /etc/fstab && ${q(script)} ${args.map(q).join(' ')} && { ${after}; }`;
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', inner], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr, fstab: fs.readFileSync(fstab, 'utf8') };
}

const label = (device: string) => spawnSync('blkid', ['-p', '-s', 'LABEL', '-o', 'value', device], { encoding: 'utf8' }).stdout.trim();

test('a new disk is formatted with the label, put in fstab and mounted; the replacement VM finds the data', () => {
  const disk = newDisk();
  const mnt = path.join(work, 'mnt-a');
  const first = boot(['infra-data-t1', 'ext4', mnt, '/dev/no-such-disk', disk], `mountpoint -q ${mnt} && echo "contents=[$(ls -A ${mnt})]" && echo ledger > ${mnt}/PG_VERSION`);
  assert.is(first.status, 0, first.err);
  assert.match(first.out, '\ncontents=[]\n', 'mounted, and the new filesystem is left empty (no lost+found)');
  assert.match(first.out, 'Creating filesystem');
  assert.match(first.fstab, `LABEL=infra-data-t1 ${mnt} ext4 defaults,nofail 0 2\n`);
  assert.is(label(disk), 'infra-data-t1');
  // A new VM on a new stemcell, the same disk attached: mounted as it is, never formatted.
  const second = boot(['infra-data-t1', 'ext4', mnt, disk], `cat ${mnt}/PG_VERSION`);
  assert.is(second.status, 0, second.err);
  assert.is(second.out, 'ledger\n');
  assert.not.match(second.out, 'Creating filesystem');
});

test('a disk holding another filesystem is never formatted: the setup stops', () => {
  const disk = newDisk();
  assert.is(spawnSync('mkfs', ['-t', 'ext4', '-q', '-L', 'someone-else', disk]).status, 0);
  const r = boot(['infra-data-t2', 'ext4', path.join(work, 'mnt-b'), disk]);
  assert.is(r.status, 1);
  assert.match(r.err, `infra-data-disk: ${disk} holds data without the label infra-data-t2; not formatting it`);
  assert.is(label(disk), 'someone-else');
  assert.not.match(r.fstab, 'infra-data-t2');
});

test('no data disk at all: the setup stops before anything writes to the root disk', () => {
  const r = boot(['infra-data-t3', 'ext4', path.join(work, 'mnt-c'), '/dev/no-such-disk']);
  assert.is(r.status, 1);
  assert.match(r.err, 'infra-data-disk: no data disk found (tried: /dev/no-such-disk)');
});

test.after(() => {
  for (const loop of loops) spawnSync('losetup', ['--detach', loop]);
  fs.rmSync(work, { recursive: true, force: true });
});

test.run();
