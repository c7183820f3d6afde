import { EVENT_CATALOGUE, STREAMS, streamForSubject, subjectMatches, DispatchRequested, PostPublished } from './index';

describe('event catalogue', () => {
  it('puts every event in the stream whose subjects capture it', () => {
    expect(EVENT_CATALOGUE.length).toBeGreaterThanOrEqual(15);
    for (const def of EVENT_CATALOGUE) {
      const concrete = def.subject.replace(/\*/g, 'x');
      expect(streamForSubject(concrete)).toBe(def.stream);
      expect(STREAMS[def.stream].subjects.some((p) => subjectMatches(p, concrete))).toBe(true);
    }
  });

  it('has unique subjects', () => {
    const subjects = EVENT_CATALOGUE.map((d) => d.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
  });

  it('matches NATS wildcards like the server does', () => {
    expect(subjectMatches('dispatch.*', 'dispatch.bluesky')).toBe(true);
    expect(subjectMatches('dispatch.*', 'dispatch.a.b')).toBe(false);
    expect(subjectMatches('post.>', 'post.published')).toBe(true);
    expect(subjectMatches('post.>', 'post')).toBe(false);
    expect(subjectMatches('media.ready', 'media.readyx')).toBe(false);
  });

  it('rejects a published event without the platform URL (invariant 4)', () => {
    const base = { jobId: 'j', postId: 'p', targetId: 't', accountId: 'a', platform: 'x', attempt: 1 };
    expect(PostPublished.schema.safeParse({ ...base, platformPostId: '1', publishedAt: new Date().toISOString() }).success).toBe(false);
    expect(
      PostPublished.schema.safeParse({ ...base, platformPostId: '1', url: 'https://x.com/i/1', publishedAt: new Date().toISOString() })
        .success,
    ).toBe(true);
  });

  it('requires a fencing token on dispatch', () => {
    const r = DispatchRequested.schema.safeParse({ jobId: 'j', postId: 'p', targetId: 't', accountId: 'a', platform: 'x', attempt: 1 });
    expect(r.success).toBe(false);
  });
});
