import { parseGeneratedMetadata } from '../generation/metadata-parser';
import { OfflineProvider } from './offline.provider';

describe('OfflineProvider', () => {
  const provider = new OfflineProvider();
  const request = (variables: Record<string, string>) => ({ system: '', messages: [], variables });

  it('derives valid metadata from the filename and context, and says it is offline', async () => {
    const raw = await provider.complete(request({ filename: 'epic_clutch-ace_2026.mp4', game_context: 'valorant' }));
    const r = parseGeneratedMetadata(raw);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.title).toBe('Epic Clutch Ace | Valorant');
    expect(r.value.caption).toContain('offline generator');
    expect(r.value.hashtags.slice(0, 4)).toEqual(['#epic', '#clutch', '#ace', '#valorant']);
    expect(r.value.hashtags.length).toBeGreaterThanOrEqual(10);
    expect(r.value.hashtags.length).toBeLessThanOrEqual(15);
  });

  it('is deterministic', async () => {
    const v = { filename: 'a.mp4', game_context: 'chess', duration: '42.4' };
    expect(await provider.complete(request(v))).toBe(await provider.complete(request(v)));
    expect(await provider.complete(request(v))).toContain('(42 s)');
  });

  it('copes with an empty filename', async () => {
    const r = parseGeneratedMetadata(await provider.complete(request({})));
    expect(r.ok && r.value.title).toBe('New clip');
  });
});
