import { NewPost, PostEdit, PostsApi, ScheduledPost } from '../../core/api/posts.api';
import { Recurrence } from '../../core/api/recurrence';
import { isActive, postStatus } from '../schedule/post-events';

/** create: a new post; edit: change this post (pending, failed, draft, cancelled); again: a new post from a published one. */
export type ComposerMode = 'create' | 'edit' | 'again';

export const COMPOSER_TITLES: Record<ComposerMode, string> = { create: 'New post', edit: 'Edit post', again: 'Post again' };
export const SUBMIT_LABELS: Record<ComposerMode, string> = { create: 'Schedule', edit: 'Save changes', again: 'Schedule again' };

/** What the form starts from when it opens on an existing post. */
export interface EditorPrefill {
  title: string;
  caption: string;
  hashtags: string;
  mediaIds: string[];
  accountIds: string[];
  overrides: Record<string, string>;
  zone: string;
  /** Only when editing: the post's own time. "Post again" takes the next free slot instead. */
  dueAt?: string;
}

export function prefillFrom(post: ScheduledPost, mode: ComposerMode): EditorPrefill {
  const accounts = post.accounts?.length ? post.accounts : post.targets.map((t) => ({ accountId: t.accountId, platform: t.platform }));
  const overrides: Record<string, string> = {};
  for (const [platform, o] of Object.entries(post.overrides ?? {})) if (typeof o['text'] === 'string' && o['text']) overrides[platform] = o['text'];
  return {
    title: post.title ?? '',
    caption: post.text,
    hashtags: post.hashtags.join(' '),
    mediaIds: [...post.mediaIds],
    accountIds: [...new Set(accounts.map((a) => a.accountId))],
    overrides,
    zone: post.zone,
    dueAt: mode === 'edit' ? post.dueAt : undefined,
  };
}

/**
 * The form edits only each platform's `text`; every other key an override holds is kept (edits never
 * drop what they were not given). A cleared text removes `text`, and an override left empty goes.
 */
export function mergeOverrides(stored: Record<string, Record<string, unknown>> | undefined, texts: Record<string, string>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const platform of new Set([...Object.keys(stored ?? {}), ...Object.keys(texts)])) {
    const { text: _old, ...rest } = stored?.[platform] ?? {};
    const text = texts[platform];
    const next = text ? { ...rest, text } : rest;
    if (Object.keys(next).length) out[platform] = next;
  }
  return out;
}

/** The editor opens on posts that have not gone out: not while publishing, not once published. */
export const canEditPost = (p: ScheduledPost): boolean => !p.deletedAt && ['draft', 'pending', 'paused', 'retry_wait', 'failed', 'cancelled'].includes(postStatus(p));
export const canPostAgain = (p: ScheduledPost): boolean => !p.deletedAt && postStatus(p) === 'published';

const sameAccounts = (a: { accountId: string }[], b: { accountId: string }[]): boolean =>
  a.length === b.length && a.every((x) => b.some((y) => y.accountId === x.accountId));

/**
 * Saves what the form holds, sending only what changed where a change has effects: content always (it
 * only rewrites the post), accounts when the set changed, the time when it moved or the post has no
 * live job yet (a draft, failed or cancelled post is planned anew). Editing is one PATCH; the scheduler
 * re-plans the unfired jobs. A recurrence turns the post into a repeating schedule. "Post again" publishes
 * the same post once more (its own route); with other accounts or a recurrence it becomes a new post.
 */
export async function savePost(api: PostsApi, mode: ComposerMode, original: ScheduledPost | undefined, p: NewPost): Promise<ScheduledPost> {
  if (mode === 'create' || !original) return api.create(p);
  const before = original.accounts?.length ? original.accounts : original.targets;
  const accountsChanged = !sameAccounts(p.targets, before);
  const content: PostEdit = {
    title: p.title ?? null,
    text: p.text,
    hashtags: p.hashtags,
    mediaIds: p.mediaIds,
    overrides: mergeOverrides(original.overrides, Object.fromEntries(Object.entries(p.overrides ?? {}).map(([k, v]) => [k, v.text ?? '']))),
  };
  const recurring = !!p.recurrence && p.recurrence.type !== 'once';
  if (mode === 'again') {
    if (recurring || accountsChanged) return api.create(p);
    return api.postAgain(original.id, content, p.dueAt, p.zone);
  }
  const live = isActive(postStatus(original));
  if (recurring) return api.makeRecurring(original.id, { ...content, targets: p.targets }, p.recurrence as Recurrence, p.dueAt, p.zone, live);
  const moved = Date.parse(p.dueAt) !== Date.parse(original.dueAt) || p.zone !== original.zone;
  return api.edit(original.id, {
    ...content,
    ...(accountsChanged ? { targets: p.targets } : {}),
    ...(moved || !live ? { at: p.dueAt, zone: p.zone } : {}),
  });
}
