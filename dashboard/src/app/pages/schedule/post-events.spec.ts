import { ScheduledPost } from '../../core/api/posts.api';
import { DomainEvent } from '../../core/events/event-stream.service';
import { applyPostEvent, postStatus } from './post-events';

const ev = (subject: string, data: Record<string, unknown>): DomainEvent => ({
  id: 'e', subject, version: 1, occurredAt: '2026-01-01T00:00:00Z', workspaceId: 'w', correlationId: 'c', data,
});

const post = (id: string, states: ScheduledPost['targets'][number]['state'][]): ScheduledPost => ({
  id, text: 't', hashtags: [], mediaIds: [], dueAt: '2026-01-01T00:00:00Z', zone: 'UTC', createdAt: '2026-01-01T00:00:00Z',
  targets: states.map((state, i) => ({ jobId: `${id}-j${i}`, accountId: 'a', platform: `p${i}`, state, dueAt: '2026-01-01T00:00:00Z', attempt: 0 })),
});

describe('post events', () => {
  it('patches only the job the event names', () => {
    const list = [post('a', ['pending', 'pending']), post('b', ['pending'])];
    const next = applyPostEvent(list, ev('post.failed', { jobId: 'a-j1', postId: 'a', message: 'rejected: too long', attempt: 2 }));
    expect(next[0].targets.map((t) => t.state)).toEqual(['pending', 'failed']);
    expect(next[0].targets[1]).toMatchObject({ reason: 'rejected: too long', attempt: 2 });
    expect(next[1]).toBe(list[1]);
  });

  it('returns the same array for an event about an unknown job', () => {
    const list = [post('a', ['pending'])];
    expect(applyPostEvent(list, ev('post.published', { jobId: 'zzz', postId: 'zzz' }))).toBe(list);
    expect(applyPostEvent(list, ev('post.published', {}))).toBe(list);
  });

  it('applies post.state.changed and keeps the published URL', () => {
    let list = [post('a', ['pending'])];
    list = applyPostEvent(list, ev('post.state.changed', { jobId: 'a-j0', postId: 'a', from: 'pending', to: 'dispatched' }));
    expect(postStatus(list[0])).toBe('publishing');
    list = applyPostEvent(list, ev('post.published', { jobId: 'a-j0', postId: 'a', url: 'https://x/1', platformPostId: '1' }));
    expect(list[0].targets[0]).toMatchObject({ state: 'published', url: 'https://x/1', platformPostId: '1', reason: null });
  });

  it('summarises a post by its most urgent target', () => {
    expect(postStatus(post('a', ['published', 'unknown', 'failed']))).toBe('unknown');
    expect(postStatus(post('a', ['published', 'failed']))).toBe('failed');
    expect(postStatus(post('a', ['published', 'armed']))).toBe('pending');
    expect(postStatus(post('a', ['published', 'published']))).toBe('published');
    expect(postStatus(post('a', ['cancelled']))).toBe('cancelled');
    expect(postStatus({ ...post('a', ['pending']), deletedAt: '2026-01-02T00:00:00Z' })).toBe('cancelled');
  });
});
