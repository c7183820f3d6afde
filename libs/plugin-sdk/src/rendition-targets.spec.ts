import { parseManifest, type PluginManifest } from './manifest';
import { renditionTargets } from './rendition-targets';
import { sampleManifest } from './fixtures/sample-manifest';

function manifest(extra: Record<string, unknown>): PluginManifest {
  const r = parseManifest({ ...sampleManifest, ...extra });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.manifest;
}

describe('rendition targets (contract 1.1)', () => {
  it('takes declared renditions as they are, with codec defaults filled in', () => {
    const m = manifest({
      contractVersion: '1.1.0',
      capabilities: ['text', 'video', 'reconcile'],
      media: { maxItems: 1, video: { maxBytes: 5_000_000, mimeTypes: ['video/mp4'] } },
      renditions: { video: { maxWidth: 1080, maxHeight: 1920, aspect: { min: 0.5, max: 0.5625 }, maxDurationS: 60, maxBytes: 4_000_000, cover: { maxWidth: 720, maxHeight: 1280, maxBytes: 200_000 } } },
    });
    expect(renditionTargets(m)).toEqual({
      video: {
        container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', maxWidth: 1080, maxHeight: 1920, aspect: { min: 0.5, max: 0.5625 },
        maxDurationS: 60, maxBytes: 4_000_000, cover: { atS: 1, format: 'jpeg', maxWidth: 720, maxHeight: 1280, maxBytes: 200_000 },
      },
    });
  });

  it('derives targets from media limits for a 1.0 manifest, so older plugins still get renditions', () => {
    const m = manifest({ media: { maxItems: 2, image: { maxBytes: 1000, mimeTypes: ['image/png'], maxPixels: 1_000_000 } } });
    expect(renditionTargets(m)).toEqual({ image: { format: 'png', maxWidth: 1000, maxHeight: 1000, maxBytes: 1000 } });
    const webm = manifest({ capabilities: ['text', 'video', 'reconcile'], media: { maxItems: 1, video: { maxBytes: 9, mimeTypes: ['video/webm'], maxDurationS: 30 } } });
    expect(renditionTargets(webm).video).toMatchObject({ container: 'webm', videoCodec: 'vp9', audioCodec: 'opus', maxWidth: 1920, maxDurationS: 30 });
  });

  it('refuses 1.1 fields under a 1.0 contract and codecs a container cannot carry', () => {
    const r = parseManifest({ ...sampleManifest, renditions: { image: { maxWidth: 10, maxHeight: 10, maxBytes: 10 } } });
    expect(r).toEqual({ ok: false, problems: [expect.stringMatching(/^contractVersion: .*need 1\.1\.0/)] });
    const bad = parseManifest({
      ...sampleManifest,
      contractVersion: '1.1.0',
      capabilities: ['text', 'video', 'reconcile'],
      media: { maxItems: 1, video: { maxBytes: 9, mimeTypes: ['video/mp4'] } },
      renditions: { video: { container: 'webm', maxWidth: 1, maxHeight: 1, maxDurationS: 1, maxBytes: 1 } },
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.join('\n')).toMatch(/webm carries vp9/);
  });

  it('checks calendar-day rate windows and the OAuth description against the settings', () => {
    const r = parseManifest({
      ...sampleManifest,
      contractVersion: '1.1.0',
      auth: { kind: 'oauth2_pkce', oauth2: { authorizeUrl: 'https://a.example/auth', tokenUrl: 'https://a.example/token', pkce: 'required', clientIdSetting: 'clientId' } },
      rateLimits: [{ name: 'uploads', scope: 'app', limit: 6, windowS: 3600, resetZone: 'Mars/Olympus' }],
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      'rateLimits.0.windowS: must be 86400 with resetZone (a calendar day)',
      'rateLimits.0.resetZone: not an IANA time zone',
      'auth.oauth2: settingsSchema has no "clientId" property',
    ]);
  });
});
