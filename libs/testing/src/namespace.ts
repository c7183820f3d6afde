import { randomBytes } from 'node:crypto';

/**
 * A random bus namespace (stream/subject prefix) so parallel JetStream tests never see
 * each other's messages. Upper-case letters and digits only: valid in subjects and stream names.
 */
export function testNamespace(prefix = 'T'): string {
  return `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** A random lower-case identifier, e.g. for bucket or schema names in tests. */
export function randomName(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}
