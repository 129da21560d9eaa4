// The one data-holding predicate of DESIGN §3, owned by the terraform kind and used by review
// (risk flags) and apply (refusals) through the cli's registry. It reads a *rendered* resource,
// so it answers for a resource that only the base rendering still has (a database removed from
// the definition is still recognised from the tree it is deleted from).
//
// What the terraform kind renders, and what this reads:
// - a resource that itself holds data (a data disk, volume or attachment of a role that declares
//   data) carries `lifecycle.prevent_destroy = true`;
// - a VM says what it holds: vSphere in its `annotation` lines (`role: …`, `data: …`), AWS in its
//   tags (`role`, `data`); `data` is `own-disk` (data on a disk of its own that outlives the VM),
//   `on-vm` (on the VM's only disk), `rebuildable` (can be rebuilt from elsewhere) or `none`.
//   A VM of a stateful role that says nothing is treated as `on-vm`: the safe reading.
// - an `aws_volume_attachment` joins a kept data volume to its instance: replacing it (the
//   instance is recreated, at a new address say) moves the volume, with the instance stopped
//   first; the volume itself is the data. It is a risk to review, like the VM, not a loss.

import type { DataHolding } from '@infra/render';
import { vmMarks } from './marks';

export type { DataHolding };

/** Roles whose hosts hold customer data unless they say otherwise. */
const STATEFUL_ROLES = new Set(['database', 'hadoop']);

type Body = Record<string, unknown>;

export function dataHolding(type: string, body: Body): DataHolding {
  const lifecycle = body.lifecycle as Body | undefined;
  if (lifecycle?.prevent_destroy === true) return 'data';
  if (type === 'aws_volume_attachment') return 'stateful-vm';
  const marks = vmMarks(type, body, '');
  if (!marks) return 'none';
  const data = marks.data ?? (STATEFUL_ROLES.has(marks.role ?? '') ? 'on-vm' : 'none');
  if (data === 'on-vm') return 'data';
  if (data === 'own-disk') return 'stateful-vm';
  return 'none';
}
