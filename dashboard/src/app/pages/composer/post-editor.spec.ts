import { ScheduledPost } from '../../core/api/posts.api';
import { canEditPost, canPostAgain, mergeOverrides, prefillFrom } from './post-editor';

const post = (state: ScheduledPost['targets'][number]['state'] | null, extra: Partial<ScheduledPost> = {}): ScheduledPost => ({
  id: 'p1', title: 'T', text: 'hello', hashtags: ['#a', '#b'], mediaIds: ['m1'], dueAt: '2026-06-02T08:00:00Z', zone: 'Europe/Berlin',
  createdAt: '2026-06-01T00:00:00Z', overrides: { bluesky: { text: 'short', langs: ['en'] } },
  accounts: [{ accountId: 'acc-1', platform: 'bluesky' }],
  targets: state ? [{ jobId: 'j1', accountId: 'acc-1', platform: 'bluesky', state, dueAt: '2026-06-02T08:00:00Z', attempt: 0 }] : [],
  ...extra,
});

describe('post editor rules', () => {
  it('opens on posts that have not gone out, and offers "post again" once published', () => {
    expect(['pending', 'failed', 'cancelled', 'paused', 'retry_wait'].map((s) => canEditPost(post(s as never)))).toEqual([true, true, true, true, true]);
    expect(canEditPost(post(null))).toBe(true); // a draft
    expect(canEditPost(post('published'))).toBe(false);
    expect(canEditPost(post('publishing'))).toBe(false);
    expect(canEditPost(post('pending', { deletedAt: '2026-06-01T00:00:00Z' }))).toBe(false);
    expect([canPostAgain(post('published')), canPostAgain(post('pending'))]).toEqual([true, false]);
  });

  it('prefills the form from the post; only an edit keeps its time', () => {
    expect(prefillFrom(post('pending'), 'edit')).toEqual({
      title: 'T', caption: 'hello', hashtags: '#a #b', mediaIds: ['m1'], accountIds: ['acc-1'], overrides: { bluesky: 'short' }, zone: 'Europe/Berlin', dueAt: '2026-06-02T08:00:00Z',
    });
    expect(prefillFrom(post('published'), 'again').dueAt).toBeUndefined();
  });

  it('changes only the text of an override, keeping its other keys; an emptied override goes', () => {
    const stored = { bluesky: { text: 'short', langs: ['en'] }, x: { text: 'tweet' } };
    expect(mergeOverrides(stored, { bluesky: 'shorter', mastodon: 'toot' })).toEqual({
      bluesky: { text: 'shorter', langs: ['en'] },
      mastodon: { text: 'toot' },
    });
  });
});
