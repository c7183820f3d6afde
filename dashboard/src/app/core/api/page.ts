/** Keyset page as every list endpoint returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Present when the server counts matches cheaply. */
  total?: number;
}
