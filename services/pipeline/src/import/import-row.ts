import { DateTime, IANAZone } from 'luxon';
import type { SheetRow } from './sheet-reader';

export interface ValidRow {
  text: string;
  title?: string;
  hashtags: string[];
  platforms: string[];
  at: string;
  zone: string;
  media: string | null;
}

const PLATFORM = /^[a-z0-9_-]{1,40}$/;

/**
 * Checks one spreadsheet row and lists every problem. Columns: text (or caption), platforms,
 * time (ISO with offset, or local `YYYY-MM-DD HH:mm` in `zone`), zone, media (asset id or URL),
 * title, hashtags. Local times are read in the row's IANA zone, never the server's.
 */
export function validateRow(row: SheetRow, defaultZone: string, nowMs: number): { ok: true; value: ValidRow } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const text = (row['text'] ?? row['caption'] ?? '').trim();
  const media = (row['media'] ?? row['media_url'] ?? row['media_id'] ?? '').trim() || null;
  if (!text && !media) errors.push('text: a post needs text or media');
  if (text.length > 10_000) errors.push('text: longer than 10,000 characters');
  const platforms = splitList(row['platforms'] ?? row['platform'] ?? '').map((p) => p.toLowerCase());
  if (!platforms.length) errors.push('platforms: name at least one platform');
  const badPlatforms = platforms.filter((p) => !PLATFORM.test(p));
  if (badPlatforms.length) errors.push(`platforms: not a platform id: ${badPlatforms.join(', ')}`);
  const zone = (row['zone'] ?? row['timezone'] ?? '').trim() || defaultZone;
  if (!IANAZone.isValidZone(zone)) errors.push(`zone: "${zone}" is not an IANA time zone`);
  const rawTime = (row['time'] ?? row['at'] ?? row['scheduled_at'] ?? '').trim();
  let at: DateTime | null = null;
  if (!rawTime) errors.push('time: missing');
  else if (IANAZone.isValidZone(zone)) {
    at = parseTime(rawTime, zone);
    if (!at) errors.push(`time: "${rawTime}" is not a date and time (use 2026-12-24T18:00 or 2026-12-24 18:00)`);
    else if (at.toMillis() <= nowMs) errors.push(`time: ${at.toISO()} is in the past`);
  }
  if (media && !/^https?:\/\//i.test(media) && !/^[A-Za-z0-9_-]{1,64}$/.test(media)) errors.push('media: neither an asset id nor an http(s) URL');
  if (errors.length || !at) return { ok: false, errors };
  const title = row['title']?.trim();
  return {
    ok: true,
    value: {
      text,
      ...(title ? { title } : {}),
      hashtags: splitList(row['hashtags'] ?? '').map((h) => (h.startsWith('#') ? h : `#${h}`)),
      platforms: [...new Set(platforms)],
      at: at.toUTC().toISO() as string,
      zone,
      media,
    },
  };
}

function parseTime(raw: string, zone: string): DateTime | null {
  const candidates = [DateTime.fromISO(raw, { zone }), DateTime.fromSQL(raw, { zone }), DateTime.fromFormat(raw, 'yyyy-MM-dd HH:mm', { zone })];
  return candidates.find((d) => d.isValid) ?? null;
}

function splitList(v: string): string[] {
  return v.split(/[\s,;|]+/).map((s) => s.trim()).filter(Boolean);
}
