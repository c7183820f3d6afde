// Mastodon plugin: statuses with media on any instance, exactly once through Idempotency-Key.
import {
  definePlugin,
  parseManifest,
  composeText,
  OutcomeUnknownError,
  RejectedError,
  validateAgainstManifest,
  validationResult,
  type MediaRef,
  type PostContent,
  type PublishPost,
  type PublishResult,
  type ReconcileResult,
  type Violation,
} from '@sx/plugin-sdk';
import pkg from '../package.json';
import { classifyMastodon, instanceBase, mastodonCall, type MastodonContext, type MastodonCredentials, type MastodonSettings, type MastodonStatusView } from './mastodon-api';
import { uploadMedia } from './mastodon-media-upload';
import { beginOAuth2, connect, verifyCredentials } from './mastodon-oauth';
import { instanceViolations, readInstanceLimits } from './instance-limits';
import { statusLength } from './status-length';

const parsed = parseManifest(pkg.schedulerx);
if (!parsed.ok) throw new Error(`invalid Mastodon manifest: ${parsed.problems.join('; ')}`);
export const manifest = parsed.manifest;

const VISIBILITIES = ['public', 'unlisted', 'private', 'direct'];

/** Upstream defaults; publish re-checks against the instance's own limits before posting. */
export function validate(post: PostContent, media: readonly MediaRef[]) {
  const base = validateAgainstManifest(manifest, post, media);
  // Mastodon counts URLs as 23 and remote mentions by their local part: replace the generic count.
  const violations: Violation[] = base.violations.filter((v) => v.rule !== 'text.max_length');
  const spoiler = typeof post.settings.spoilerText === 'string' ? post.settings.spoilerText : '';
  const length = statusLength(composeText(post.text, post.hashtags), spoiler);
  if (length > manifest.text.maxLength) {
    violations.push({ rule: 'text.max_length', field: 'text', message: `text is ${length} characters; the limit is ${manifest.text.maxLength}`, limit: manifest.text.maxLength, actual: length });
  }
  if (!post.text.trim() && media.length === 0) violations.push({ rule: 'text.required', field: 'text', message: 'text or media is required' });
  const { visibility, spoilerText } = post.settings;
  if (visibility !== undefined && !VISIBILITIES.includes(String(visibility))) {
    violations.push({ rule: 'settings.visibility', field: 'settings.visibility', message: `visibility must be one of ${VISIBILITIES.join(', ')}` });
  }
  if (spoilerText !== undefined && typeof spoilerText !== 'string') {
    violations.push({ rule: 'settings.spoiler_text', field: 'settings.spoilerText', message: 'the content warning must be text' });
  }
  return validationResult(violations);
}

function statusBody(ctx: MastodonContext, post: PublishPost, mediaIds: string[]): Record<string, unknown> {
  const visibility = typeof post.settings.visibility === 'string' ? post.settings.visibility : ctx.settings.visibility;
  const body: Record<string, unknown> = { status: composeText(post.text, post.hashtags), visibility: visibility ?? 'public' };
  if (mediaIds.length) body.media_ids = mediaIds;
  if (typeof post.settings.spoilerText === 'string' && post.settings.spoilerText) body.spoiler_text = post.settings.spoilerText;
  if (ctx.settings.language) body.language = ctx.settings.language;
  return body;
}

function result(status: MastodonStatusView | undefined): PublishResult {
  if (!status?.id) throw new OutcomeUnknownError('the instance answered without a status id');
  return { platformPostId: status.id, url: status.url ?? status.uri ?? '', publishedAt: status.created_at };
}

async function publish(ctx: MastodonContext, post: PublishPost): Promise<PublishResult> {
  const limits = await readInstanceLimits(ctx);
  const spoiler = typeof post.settings.spoilerText === 'string' ? post.settings.spoilerText : '';
  const violations = instanceViolations(limits, composeText(post.text, post.hashtags), spoiler, post.media);
  (post.thread ?? []).forEach((text, i) =>
    violations.push(...instanceViolations(limits, text, spoiler, []).map((v) => ({ ...v, rule: 'thread.max_length', field: `thread.${i}` }))),
  );
  if (violations.length) throw new RejectedError(`the post breaks ${instanceBase(ctx.settings)}'s limits`, violations);
  const mediaIds: string[] = [];
  for (const ref of post.media) mediaIds.push(await uploadMedia(ctx, ref));
  const main = await createStatus(ctx, ctx.idempotencyKey, statusBody(ctx, post, mediaIds));
  // Each reply has its own derived key, so a later attempt re-finds what exists and posts the rest once.
  const extraPostIds: string[] = [];
  let parent = main.platformPostId;
  for (const [i, text] of (post.thread ?? []).entries()) {
    const body = { ...statusBody(ctx, { ...post, text, hashtags: [], media: [] }, []), in_reply_to_id: parent };
    parent = (await createStatus(ctx, `${ctx.idempotencyKey}:thread:${i + 1}`, body)).platformPostId;
    extraPostIds.push(parent);
  }
  return extraPostIds.length ? { ...main, extraPostIds } : main;
}

async function createStatus(ctx: MastodonContext, key: string, body: Record<string, unknown>): Promise<PublishResult> {
  const res = await mastodonCall(ctx, ctx.credentials.accessToken, 'create status', {
    method: 'POST',
    url: '/api/v1/statuses',
    headers: { 'idempotency-key': key },
    json: body,
  });
  return result(res.json<MastodonStatusView>());
}

/**
 * Mastodon checks Idempotency-Key before anything else (PostStatusService#call) and keeps keys 1 h.
 * Re-posting the key with an empty body therefore returns the status made with it, or fails
 * validation ("Text can't be blank") when there is none — without creating anything.
 */
async function reconcile(ctx: MastodonContext): Promise<ReconcileResult> {
  const res = await ctx.http.request({
    method: 'POST',
    url: `${instanceBase(ctx.settings)}/api/v1/statuses`,
    headers: { authorization: `Bearer ${ctx.credentials.accessToken}`, 'idempotency-key': ctx.idempotencyKey },
    json: { status: '' },
  });
  if (res.status === 200) {
    const r = result(res.json<MastodonStatusView>());
    return { status: 'found', platformPostId: r.platformPostId, url: r.url, publishedAt: r.publishedAt };
  }
  if (res.status === 422) return { status: 'not_found' };
  throw classifyMastodon(res, ctx.clock.nowMs(), 'reconcile');
}

export default definePlugin<MastodonCredentials, MastodonSettings>({
  manifest,
  validate,
  publish,
  connect,
  beginOAuth2,
  reconcile,
  async deletePost(ctx, ref) {
    await mastodonCall(ctx, ctx.credentials.accessToken, 'delete status', { method: 'DELETE', url: `/api/v1/statuses/${encodeURIComponent(ref.platformPostId)}` });
  },
  async fetchProfile(ctx) {
    const me = await verifyCredentials(ctx, ctx.credentials.accessToken);
    return { externalId: me.id, handle: me.acct, displayName: me.display_name, url: me.url };
  },
});
