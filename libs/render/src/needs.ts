// What one kind gives another (DESIGN §2: no kind imports another). A kind that needs another's
// output declares it in `needs`; the cli's registry runs the provider first and passes its
// `provides` in the context, and nothing else. The shapes live here, beside the Generator
// contract, so that neither side imports the other.
import type { Environment, HadoopCluster, HostGroup } from '@infra/model';

/** What the cloud-init kind renders for the kinds that embed or show it (terraform, inventory). */
export interface CloudInitOutput {
  /** A host group's #cloud-config, rendered once per environment; throws InvalidDefinition. */
  userData(env: Environment, group: HostGroup): string;
  /** sha256 (hex) of the group's #cloud-config: what makes a replacement visible. */
  userDataHash(env: Environment, group: HostGroup): string;
  /** The #cloud-config of a Hadoop cluster's hosts where they are instances; throws InvalidDefinition. */
  hadoopUserData(env: Environment, cluster: HadoopCluster): string;
}

/** Each kind that others may need, and what it provides them. A new provider adds a line here. */
export interface KindOutputs {
  'cloud-init': CloudInitOutput;
}

export type ProvidingKind = keyof KindOutputs;

/** Exactly the outputs of the kinds in N, by kind name. */
export type Provided<N extends ProvidingKind> = { readonly [K in N]: KindOutputs[K] };
