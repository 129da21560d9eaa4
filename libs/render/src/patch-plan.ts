// The patch plan file, rendered/<env>/patches/<group>.json: written by the patches kind, carried
// out by apply's patch step, read back by drift. One shape for all three.

export interface PatchStep {
  host: string;
  address: string;
  reboot: boolean;
  /** What shows the host is back: its main service answering. */
  health: { kind: 'tcp'; port: number } | { kind: 'http'; port: number; path: string };
}

export interface PatchPlan {
  /** Host group or Hadoop cluster. */
  group: string;
  /** A VM group patched in place, or a bare-metal Hadoop cluster (never recreated). */
  source: 'vm' | 'hadoop';
  /** `<stemcell version>+<patch ids sorted, joined by '+'>`. */
  patchLevel: string;
  /** Pinned packages, sorted by name. */
  packages: { name: string; version: string }[];
  reboot: boolean;
  /** In order, one host per step. */
  steps: PatchStep[];
}
