import { PostStatus, PostTarget, PublishJobState, ScheduledPost } from '../../core/api/posts.api';
import { DomainEvent } from '../../core/events/event-stream.service';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const STATE_BY_SUBJECT: Record<string, PublishJobState> = {
  'post.publishing': 'publishing',
  'post.published': 'published',
  'post.failed': 'failed',
  'post.retrying': 'retry_wait',
  'post.unknown': 'unknown',
};

/** Patch one target from a post.* event. */
function patchTarget(t: PostTarget, e: DomainEvent): PostTarget {
  const d = e.data;
  if (e.subject === 'post.state.changed') {
    return { ...t, state: (str(d['to']) as PublishJobState) ?? t.state, reason: str(d['reason']) ?? t.reason };
  }
  const state = STATE_BY_SUBJECT[e.subject];
  if (!state) return t;
  return {
    ...t,
    state,
    attempt: typeof d['attempt'] === 'number' ? d['attempt'] : t.attempt,
    reason: str(d['message']) ?? (state === 'published' ? null : t.reason),
    url: str(d['url']) ?? t.url,
    platformPostId: str(d['platformPostId']) ?? t.platformPostId,
  };
}

/**
 * Apply a live post event to the loaded list without a reload. Returns the same array
 * when nothing matched, so callers can tell whether a refetch is needed.
 */
export function applyPostEvent(posts: ScheduledPost[], e: DomainEvent): ScheduledPost[] {
  const jobId = str(e.data['jobId']);
  const postId = str(e.data['postId']);
  if (!jobId && !postId) return posts;
  let changed = false;
  const next = posts.map((p) => {
    const hits = (t: PostTarget) => (jobId ? t.jobId === jobId : p.id === postId);
    if (!p.targets.some(hits)) return p;
    changed = true;
    return { ...p, targets: p.targets.map((t) => (hits(t) ? patchTarget(t, e) : t)) };
  });
  return changed ? next : posts;
}

const ORDER: PublishJobState[] = ['unknown', 'failed', 'publishing', 'dispatched', 'retry_wait', 'armed', 'pending', 'paused'];

/**
 * One status for a post across its accounts' current jobs: the most attention-worthy one wins (the
 * server's rule, recomputed here because live events patch the jobs). No job yet: a draft.
 */
export function postStatus(p: ScheduledPost): PostStatus {
  if (p.deletedAt) return 'cancelled';
  const states = p.targets.map((t) => t.state);
  if (!states.length) return 'draft';
  for (const s of ORDER) if (states.includes(s)) return s === 'dispatched' ? 'publishing' : s === 'armed' ? 'pending' : s;
  if (states.every((s) => s === 'cancelled')) return 'cancelled';
  return 'published';
}

/** A post that has not gone out (or did not get out) and can still be changed in the editor. */
export const isEditable = (s: PostStatus): boolean => ['draft', 'pending', 'armed', 'retry_wait', 'paused', 'failed', 'cancelled'].includes(s);

export const isActive = (s: PostStatus): boolean => ['pending', 'armed', 'retry_wait', 'paused'].includes(s);
