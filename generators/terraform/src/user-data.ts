// User-data is rendered once per host group (every host of a group gets the same mutation), then
// gzipped and base64-encoded once: with 10,000 VMs nothing here may run per host.
import { createHash } from 'node:crypto';
// gzip from fflate, pure JavaScript pinned to one exact version in the lock file: node:zlib's
// deflate output depends on the zlib build Node was compiled with, and these bytes are committed.
import { gzipSync } from 'fflate';
import type { Environment, HostGroup } from '@infra/model';

/**
 * Renders a group's #cloud-config: the cloud-init kind's output, which the registry passes in
 * (`needs: ['cloud-init']`), or a test's stub.
 */
export type UserDataSource = (env: Environment, group: HostGroup) => string;

/** AWS accepts at most 16 KB of user-data, counted before base64 (after our gzip). */
export const AWS_USER_DATA_LIMIT = 16384;

export interface EncodedUserData {
  /** Bytes of the #cloud-config text. */
  rawBytes: number;
  /** Bytes after gzip: what EC2 counts against its limit and what cloud-init receives. */
  gzipBytes: number;
  /** gzip + base64, the value of `guestinfo.userdata` and `user_data_base64`. */
  base64: string;
  /** sha256 of the #cloud-config text: shown on every VM so a change of mutation is visible. */
  sha256: string;
}

// The check (EC2's size limit) and generate both need a group's encoding: gzip at level 9 is most
// of its cost, so each text is encoded once per process. Bounded: a long-lived process (the tests)
// starts over rather than growing.
const encoded = new Map<string, EncodedUserData>();
const MAX_ENCODED = 4096;

export function encodeUserData(text: string): EncodedUserData {
  let hit = encoded.get(text);
  if (hit === undefined) {
    if (encoded.size >= MAX_ENCODED) encoded.clear();
    encoded.set(text, (hit = Object.freeze(encode(text))));
  }
  return hit;
}

function encode(text: string): EncodedUserData {
  const raw = Buffer.from(text, 'utf8');
  // mtime 0: no time in the header; fflate writes the OS byte as 3 ("Unix") on every platform.
  const gz = Buffer.from(gzipSync(raw, { level: 9, mtime: 0 }));
  return {
    rawBytes: raw.length,
    gzipBytes: gz.length,
    base64: gz.toString('base64'),
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}

/** Every group's encoded user-data, keyed by group name. */
export function groupUserData(env: Environment, source: UserDataSource): Map<string, EncodedUserData> {
  return new Map(env.hostGroups.map((g) => [g.name, encodeUserData(source(env, g))]));
}
