// What each cloud-init version can read. The current upstream schema describes the newest
// cloud-init; a stemcell runs an old one, which silently ignores keys its modules do not know
// (a VM would then boot half-configured), so rendered user-data is also checked against the
// module set of the stemcell's own version.

/** The top-level keys and nested shapes one cloud-init version understands. */
export interface ModuleSet {
  cloudInit: string;
  /** Top-level cloud-config keys read by the version's modules or by cloud-init itself. */
  keys: ReadonlySet<string>;
  /** Keys a `write_files` entry may have. */
  writeFileKeys: ReadonlySet<string>;
  /** Keys known to come in later versions, with what to do instead: shown in errors. */
  later: Readonly<Record<string, string>>;
}

/**
 * cloud-init 0.7.5 (Ubuntu 14.04), from its modules under cloudinit/config/ and its ChangeLog.
 * Conservative: a key is listed only when 0.7.5 certainly reads it. Keys that came later are
 * refused even though the upstream schema accepts them.
 */
const CLOUD_INIT_0_7_5: ModuleSet = {
  cloudInit: '0.7.5',
  keys: new Set([
    // cloud-init itself
    'cloud_init_modules', 'cloud_config_modules', 'cloud_final_modules', 'merge_how', 'merge_type', 'output',
    // cc_apt_configure, cc_apt_pipelining (the old, flat apt format; `apt:` came in 0.7.8)
    'apt_sources', 'apt_mirror', 'apt_mirror_search', 'apt_mirror_search_dns', 'apt_preserve_sources_list',
    'apt_proxy', 'apt_http_proxy', 'apt_ftp_proxy', 'apt_https_proxy', 'apt_pipelining',
    // cc_package_update_upgrade_install (name=version strings and [name, version] pairs since 0.7.2)
    'packages', 'package_update', 'package_upgrade', 'package_reboot_if_required',
    'apt_update', 'apt_upgrade', 'apt_reboot_if_required',
    // cc_bootcmd, cc_runcmd, cc_write_files (write_files since 0.7.0)
    'bootcmd', 'runcmd', 'write_files',
    // cc_users_groups, cc_ssh, cc_set_passwords, cc_ssh_import_id, cc_ssh_authkey_fingerprints
    'users', 'groups', 'user', 'ssh_authorized_keys', 'ssh_keys', 'ssh_deletekeys', 'ssh_genkeytypes',
    'disable_root', 'ssh_pwauth', 'password', 'chpasswd', 'ssh_import_id', 'no_ssh_fingerprints', 'authkey_hash',
    // cc_set_hostname, cc_update_hostname, cc_update_etc_hosts
    'hostname', 'fqdn', 'preserve_hostname', 'manage_etc_hosts',
    // cc_timezone, cc_locale, cc_mounts (no `swap` before 0.7.6), cc_resizefs, cc_growpart
    'timezone', 'locale', 'mounts', 'mount_default_fields', 'resize_rootfs', 'growpart',
    // cc_ca_certs, cc_rsyslog, cc_final_message, cc_phone_home, cc_power_state_change
    'ca-certs', 'rsyslog', 'final_message', 'phone_home', 'power_state',
    // cc_disk_setup, cc_seed_random, cc_byobu, cc_disable_ec2_metadata
    'disk_setup', 'fs_setup', 'device_aliases', 'random_seed', 'byobu_by_default', 'disable_ec2_metadata',
    // configuration management clients
    'puppet', 'chef', 'salt_minion', 'mcollective', 'landscape',
  ]),
  writeFileKeys: new Set(['path', 'content', 'owner', 'permissions', 'encoding']),
  later: {
    apt: 'the `apt:` format came in cloud-init 0.7.8; 0.7.5 reads the flat apt_* keys',
    ntp: 'the ntp module came in cloud-init 0.7.8; write the NTP configuration with write_files instead',
    snap: 'snap support came after 0.7.5',
    swap: 'swap files came in cloud-init 0.7.6',
    lxd: 'the lxd module came after 0.7.5',
    fan: 'the fan module came after 0.7.5',
    append: '0.7.5 always replaces the file: write the whole content instead of appending',
    defer: '0.7.5 writes every file in the init stage: deferred writing came much later',
    source: '0.7.5 only writes inline content',
  },
};

export const MODULE_SETS: Readonly<Record<string, ModuleSet>> = { '0.7.5': CLOUD_INIT_0_7_5 };

/** Why a stemcell's cloud-init version cannot be targeted; one text, so repeats collapse into one problem. */
export function unknownVersion(version: string): string {
  return `no module set is known for cloud-init ${version}; known: ${Object.keys(MODULE_SETS).sort().join(', ')}`;
}

/** A finding in rendered user-data: `at` is a path inside the cloud-config document. */
export interface ModuleSetFinding {
  at: string;
  message: string;
}

const OCTAL_MODE = /^0[0-7]{3,4}$/;
/**
 * Keys whose scalar value (not only its type) checkModuleSet reads. Rendering reads a template's
 * shape once and lets other groups differ inside block scalars (user-data.ts): a key added to a
 * value check below must be listed here, or a block scalar under it would go unchecked.
 */
export const VALUE_CHECKED_KEYS: ReadonlySet<string> = new Set(['permissions']);

/** Checks a parsed cloud-config document against one version's module set. */
export function checkModuleSet(doc: unknown, set: ModuleSet): ModuleSetFinding[] {
  const findings: ModuleSetFinding[] = [];
  const add = (at: string, message: string) => findings.push({ at, message });
  if (!isObject(doc)) {
    add('', 'user-data is not a cloud-config mapping');
    return findings;
  }
  for (const key of Object.keys(doc).sort()) {
    if (!set.keys.has(key)) add(key, `cloud-init ${set.cloudInit} has no module reading "${key}"${hint(set, key)}`);
  }
  if ('write_files' in doc) checkWriteFiles(doc.write_files, set, add);
  for (const key of ['runcmd', 'bootcmd'] as const) {
    if (!(key in doc)) continue;
    const items = doc[key];
    if (!Array.isArray(items) || items.length === 0) { add(key, 'must be a non-empty list of commands'); continue; }
    items.forEach((item, i) => {
      const ok = typeof item === 'string' || (Array.isArray(item) && item.every((a) => typeof a === 'string'));
      if (!ok) add(`${key}/${i + 1}`, 'a command is a string or a list of strings');
    });
  }
  if ('packages' in doc) {
    const items = doc.packages;
    if (!Array.isArray(items) || items.length === 0) add('packages', 'must be a non-empty list');
    else items.forEach((p) => {
      const ok = typeof p === 'string' || (Array.isArray(p) && p.length === 2 && p.every((a) => typeof a === 'string'));
      if (!ok) add(`packages/${JSON.stringify(p)}`, 'a package is "name", "name=version" or [name, version]');
    });
  }
  return findings;
}

function checkWriteFiles(value: unknown, set: ModuleSet, add: (at: string, message: string) => void): void {
  if (!Array.isArray(value) || value.length === 0) { add('write_files', 'must be a non-empty list of files'); return; }
  const seen = new Set<string>();
  value.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.path !== 'string') { add(`write_files/${i + 1}`, 'a file needs a string "path"'); return; }
    // Entries are located by their file path, a stable name, not by list position.
    const at = `write_files[${entry.path}]`;
    if (seen.has(entry.path)) add(at, 'written twice: the second write silently replaces the first');
    seen.add(entry.path);
    for (const key of Object.keys(entry).sort()) {
      if (!set.writeFileKeys.has(key)) add(`${at}/${key}`, `cloud-init ${set.cloudInit} write_files has no "${key}"${hint(set, key)}`);
    }
    if ('permissions' in entry && (typeof entry.permissions !== 'string' || !OCTAL_MODE.test(entry.permissions))) {
      add(`${at}/permissions`, `must be a quoted octal string like '0644', got ${JSON.stringify(entry.permissions)} (YAML reads an unquoted 0644 as a number)`);
    }
    if ('content' in entry && typeof entry.content !== 'string') add(`${at}/content`, 'must be a string');
  });
}

function hint(set: ModuleSet, key: string): string {
  return set.later[key] ? `: ${set.later[key]}` : '';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
