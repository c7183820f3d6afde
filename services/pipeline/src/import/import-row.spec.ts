import { validateRow } from './import-row';

const now = Date.parse('2026-03-01T10:00:00Z');

describe('validateRow', () => {
  it('reads a local time in the row zone, whatever the process TZ', () => {
    const r = validateRow({ text: 'Hello', platforms: 'bluesky; mastodon', time: '2026-03-08 02:30', zone: 'America/New_York', hashtags: 'a #b' }, 'UTC', now);
    // 02:30 does not exist on 2026-03-08 in New York (spring forward): it moves forward to 03:30 EDT.
    expect(r).toEqual({
      ok: true,
      value: { text: 'Hello', hashtags: ['#a', '#b'], platforms: ['bluesky', 'mastodon'], at: '2026-03-08T07:30:00.000Z', zone: 'America/New_York', media: null },
    });
  });

  it('takes an instant with an offset as is and falls back to the default zone', () => {
    const r = validateRow({ caption: 'x', platform: 'X', at: '2026-04-01T12:00:00+05:30' }, 'Asia/Kolkata', now);
    expect(r.ok && [r.value.at, r.value.zone, r.value.platforms]).toEqual(['2026-04-01T06:30:00.000Z', 'Asia/Kolkata', ['x']]);
  });

  it('lists every problem of a bad row', () => {
    const r = validateRow({ text: '', platforms: 'Blue Sky!', time: 'tomorrow', zone: 'Mars/Base', media: 'not a url or id!' }, 'UTC', now);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'platforms: not a platform id: sky!',
      'zone: "Mars/Base" is not an IANA time zone',
      'media: neither an asset id nor an http(s) URL',
    ]);
  });

  it('rejects past times and missing fields', () => {
    const r = validateRow({ text: 'late', platforms: 'x', time: '2026-02-01T00:00:00Z' }, 'UTC', now);
    expect(r.ok ? [] : r.errors).toEqual(['time: 2026-02-01T00:00:00.000Z is in the past']);
    const empty = validateRow({}, 'UTC', now);
    expect(empty.ok ? [] : empty.errors).toEqual(['text: a post needs text or media', 'platforms: name at least one platform', 'time: missing']);
  });
});
