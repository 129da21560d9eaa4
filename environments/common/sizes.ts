import type { Size } from '@infra/model';

/** Production VM sizes. Host groups name one of these. */
export const sizes: Record<string, Size> = {
  small: { cpus: 2, memoryMiB: 4096, diskGiB: 40 },
  medium: { cpus: 4, memoryMiB: 16384, diskGiB: 80 },
  large: { cpus: 8, memoryMiB: 32768, diskGiB: 200 },
  xlarge: { cpus: 16, memoryMiB: 65536, diskGiB: 500 },
  hadoop: { cpus: 24, memoryMiB: 131072, diskGiB: 4000 },
};
