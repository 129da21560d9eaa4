/** A VM size. The AWS site maps each size name to an instance type. */
export interface Size {
  /**
   * @minimum 1
   * @asType integer
   */
  cpus: number;
  /**
   * @minimum 512
   * @asType integer
   */
  memoryMiB: number;
  /**
   * @minimum 8
   * @asType integer
   */
  diskGiB: number;
}
