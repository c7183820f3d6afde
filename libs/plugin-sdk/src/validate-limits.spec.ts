import { parseManifest } from './manifest';
import { validateAgainstManifest } from './validate-limits';
import { sampleManifest } from './fixtures/sample-manifest';

const manifest = (() => {
  const r = parseManifest({ ...sampleManifest, capabilities: ['text', 'image', 'alt_text'], media: { ...sampleManifest.media, altTextMaxLength: 5 } });
  if (!r.ok) throw new Error(r.problems.join());
  return r.manifest;
})();

describe('validateAgainstManifest', () => {
  it('passes a post within every limit', () => {
    const r = validateAgainstManifest(manifest, { text: 'hi', hashtags: ['x'], settings: {} }, [
      { id: 'a', kind: 'image', mimeType: 'image/png', sizeBytes: 10, altText: 'ok' },
    ]);
    expect(r).toEqual({ ok: true, violations: [] });
  });

  it('lists every violated rule at once', () => {
    const img = { kind: 'image' as const, mimeType: 'image/gif', sizeBytes: 5000, altText: 'too long alt' };
    const r = validateAgainstManifest(
      manifest,
      { text: 'x'.repeat(101), hashtags: [], settings: {}, thread: ['more'], firstComment: 'c' },
      [
        { id: 'a', ...img },
        { id: 'b', ...img },
        { id: 'c', kind: 'video', mimeType: 'video/mp4', sizeBytes: 1 },
      ],
    );
    expect(r.ok).toBe(false);
    expect(r.violations.map((v) => v.rule).sort()).toEqual(
      [
        'text.max_length',
        'thread.unsupported',
        'first_comment.unsupported',
        'media.max_items',
        'media.mixed',
        'media.image.mime_type',
        'media.image.max_bytes',
        'media.alt_text.max_length',
        'media.image.mime_type',
        'media.image.max_bytes',
        'media.alt_text.max_length',
        'media.video.unsupported',
      ].sort(),
    );
    expect(r.violations[0]).toMatchObject({ rule: 'text.max_length', limit: 100, actual: 101 });
  });
});
