import { parseGeneratedMetadata } from '../generation/metadata-parser';
import { DEFAULT_TEMPLATE_TEXT } from '../templates/default-template';
import { renderTemplate } from '../templates/template-variables';
import { OfflineProvider } from './offline.provider';

describe('OfflineProvider', () => {
  const provider = new OfflineProvider();
  const request = (variables: Record<string, string>, prompt = '') => ({
    system: '',
    messages: prompt ? [{ role: 'user' as const, content: prompt }] : [],
    variables,
  });
  const parsed = async (variables: Record<string, string>, prompt = '') => {
    const r = parseGeneratedMetadata(await provider.complete(request(variables, prompt)));
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.value;
  };

  it('derives valid metadata from the filename and context, without writing about itself into the caption', async () => {
    const v = { filename: 'epic_clutch-ace_2026.mp4', game_context: 'valorant' };
    const r = await parsed(v, renderTemplate(DEFAULT_TEMPLATE_TEXT, v).prompt);
    expect(r.title).toBe('Epic Clutch Ace | Valorant');
    expect(r.caption).not.toMatch(/offline|generator/i);
    expect(r.caption).toContain('🎮'); // the default template asks for emojis
    expect(r.hashtags.slice(0, 4)).toEqual(['#epic', '#clutch', '#ace', '#valorant']);
    expect(r.hashtags).toHaveLength(15);
  });

  it("uses a template's filled-in example answer as written", async () => {
    const template = 'Reply as JSON: {"title": "{filename} is live", "caption": "Fresh upload: {filename}. Link in bio.", "hashtags": ["#art", "#daily"]}';
    const v = { filename: 'sunset.png' };
    const r = await parsed(v, renderTemplate(template, v).prompt);
    expect(r.title).toBe('sunset.png is live');
    expect(r.caption).toBe('Fresh upload: sunset.png. Link in bio.');
    expect(r.hashtags.slice(0, 2)).toEqual(['#art', '#daily']);
    expect(r.hashtags.length).toBeGreaterThanOrEqual(10);
  });

  it('keeps to the lengths, hashtag count and emoji wish the template states', async () => {
    const template = 'Title (max 12 chars) and a caption (max 30 characters), 10-10 hashtags, no pictograms. File {filename}';
    const r = await parsed({ filename: 'very_long_descriptive_name.mp4' }, template);
    expect([...r.title].length).toBeLessThanOrEqual(12);
    expect([...r.caption].length).toBeLessThanOrEqual(30);
    expect(r.hashtags).toHaveLength(10);
    expect(r.caption).not.toContain('🎮');
  });

  it('uses only the variables it is given (the ones the template refers to)', async () => {
    const withContext = await parsed({ filename: 'a_b.mp4', game_context: 'chess' });
    const without = await parsed({ filename: 'a_b.mp4' });
    expect(withContext.caption).toContain('chess');
    expect(without.caption).not.toContain('chess');
  });

  it('is deterministic', async () => {
    const v = { filename: 'a.mp4', game_context: 'chess', duration: '42.4' };
    expect(await provider.complete(request(v))).toBe(await provider.complete(request(v)));
    expect(await provider.complete(request(v))).toContain('(42 s)');
  });

  it('copes with an empty filename', async () => {
    expect((await parsed({})).title).toBe('New clip');
  });
});
