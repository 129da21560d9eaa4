/** A VM size. The AWS site maps each size name to an instance type. */
export interface Size {
  /** @minimum 1 */
  cpus: number;
  /** @minimum 512 */
  memoryMiB: number;
  /** @minimum 8 */
  diskGiB: number;
}
