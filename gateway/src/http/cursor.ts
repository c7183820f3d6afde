import { AppError } from '@sx/service-kit';

/** Keyset cursor over (instant, id): opaque base64url of `<iso>|<uuid>`. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const [iso, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (extra !== undefined || Number.isNaN(at.getTime()) || !uuid.test(id ?? '')) {
    throw AppError.validation('The cursor is not valid', [{ path: 'cursor', message: 'malformed cursor' }]);
  }
  return { at, id };
}

/** One page: `limit` items and the cursor of the last one when more may follow. */
export function pageOf<T>(items: T[], limit: number, key: (item: T) => { at: Date; id: string }) {
  const last = items[items.length - 1];
  return { items, nextCursor: items.length === limit && last ? encodeCursor(key(last).at, key(last).id) : null };
}
