// The `terraform` block of every root: exact provider pins (the versions whose schemas the tests
// check against) and a remote backend that locks, so two applies can never race on one state.
import type { StateBackend } from '@infra/model';
import { literal } from './tf-json';

/** A provider as it is pinned in `required_providers`. */
export interface ProviderPin {
  /** Local name, e.g. "aws". */
  name: string;
  source: string;
  /** An exact version: the one the provider schema in the tests comes from. */
  version: string;
}

export const VSPHERE_PROVIDER: ProviderPin = { name: 'vsphere', source: 'hashicorp/vsphere', version: '2.0.2' };
export const AWS_PROVIDER: ProviderPin = { name: 'aws', source: 'hashicorp/aws', version: '6.19.0' };

/**
 * 1.5 is the oldest Terraform whose s3 backend, `sensitive` variables and JSON syntax behave as
 * rendered here; 2.x may change backends, so it is excluded until checked.
 */
export const REQUIRED_TERRAFORM = '>= 1.5.0, < 2.0.0';

export function terraformBlock(state: StateBackend, provider: ProviderPin): Record<string, unknown> {
  return {
    required_version: REQUIRED_TERRAFORM,
    required_providers: { [provider.name]: { source: provider.source, version: provider.version } },
    backend: backend(state),
  };
}

function backend(state: StateBackend): Record<string, unknown> {
  switch (state.kind) {
    case 's3':
      // The DynamoDB table holds the lock; state objects are encrypted at rest.
      return {
        s3: {
          bucket: literal(state.bucket),
          key: literal(state.key),
          region: literal(state.region),
          dynamodb_table: literal(state.lockTable),
          encrypt: true,
        },
      };
    case 'consul':
      // Consul locks the state path with a session; `lock` is its default, stated so a reader
      // does not have to know that. The ACL token comes from CONSUL_HTTP_TOKEN, never from here.
      return { consul: { address: literal(state.address), path: literal(state.path), lock: true } };
  }
}
