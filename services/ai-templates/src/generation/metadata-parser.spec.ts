import { parseGeneratedMetadata } from './metadata-parser';

const tags = Array.from({ length: 12 }, (_, i) => `#tag${i}`);

describe('parseGeneratedMetadata', () => {
  it('reads JSON wrapped in prose and code fences, with hashtags as one string', () => {
    const raw = 'Sure! Here it is:\n```json\n{"title": "Clutch 1v4 {wow}", "caption": "GG 🎮", "hashtags": "' + tags.join(' ') + '"}\n```';
    const r = parseGeneratedMetadata(raw);
    expect(r).toEqual({ ok: true, value: { title: 'Clutch 1v4 {wow}', caption: 'GG 🎮', hashtags: tags } });
  });

  it('adds missing # and removes duplicates', () => {
    const list = [...tags.map((t) => t.slice(1)), 'tag0'];
    const r = parseGeneratedMetadata(JSON.stringify({ title: 't', caption: 'c', hashtags: list }));
    expect(r.ok && r.value.hashtags).toEqual(tags);
  });

  it('lists every violated rule', () => {
    const r = parseGeneratedMetadata(JSON.stringify({ title: 'x'.repeat(101), caption: 'c', hashtags: ['#a'] }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.some((e) => e.startsWith('title'))).toBe(true);
      expect(r.errors.some((e) => e.startsWith('hashtags'))).toBe(true);
    }
  });

  it('reports replies without JSON', () => {
    expect(parseGeneratedMetadata('I cannot help with that')).toEqual({ ok: false, errors: ['The reply contains no JSON object'] });
  });
});
