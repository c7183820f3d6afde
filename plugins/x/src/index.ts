// X (Twitter) plugin: text + media posts through the X API v2 with OAuth 2.0 PKCE.
import {
  definePlugin,
  parseManifest,
  OutcomeUnknownError,
  composeText,
  validateAgainstManifest,
  validationResult,
  type MediaRef,
  type PostContent,
  type PublishPost,
  type PublishResult,
  type Violation,
} from '@sx/plugin-sdk';
import pkg from '../package.json';
import { postUrl, xCall, type XContext, type XCredentials, type XSettings } from './x-api';
import { uploadMedia } from './x-media-upload';
import { beginOAuth2, connect, fetchMe, refreshCredentials } from './x-oauth';

const parsed = parseManifest(pkg.schedulerx);
if (!parsed.ok) throw new Error(`invalid X manifest: ${parsed.problems.join('; ')}`);
export const manifest = parsed.manifest;

const CASHTAG_RE = /(^|\s)\$[A-Za-z]{1,6}(?=\b)/g;

export function validate(post: PostContent, media: readonly MediaRef[]) {
  const base = validateAgainstManifest(manifest, post, media);
  const extra: Violation[] = [];
  const text = composeText(post.text, post.hashtags);
  const cashtags = text.match(CASHTAG_RE)?.length ?? 0;
  if (cashtags > 1) {
    extra.push({ rule: 'x.max_cashtags', field: 'text', message: 'X allows at most one cashtag per post', limit: 1, actual: cashtags });
  }
  if (!text.trim() && media.length === 0) extra.push({ rule: 'text.required', field: 'text', message: 'text or media is required' });
  return validationResult([...base.violations, ...extra]);
}

async function publish(ctx: XContext, post: PublishPost): Promise<PublishResult> {
  const mediaIds: string[] = [];
  for (const ref of post.media) mediaIds.push(await uploadMedia(ctx, ref));
  const body: Record<string, unknown> = { text: composeText(post.text, post.hashtags) };
  if (mediaIds.length) body.media = { media_ids: mediaIds };
  const res = await xCall(ctx, 'create post', { method: 'POST', url: '/2/tweets', json: body });
  const id = res.json<{ data?: { id?: string } }>()?.data?.id;
  // The post exists but we cannot name it: never retried blindly.
  if (!id) throw new OutcomeUnknownError('X answered 201 without a post id');
  return { platformPostId: id, url: postUrl(ctx.credentials.username, id) };
}

export default definePlugin<XCredentials, XSettings>({
  manifest,
  validate,
  publish,
  connect,
  beginOAuth2,
  refreshCredentials,
  async deletePost(ctx, ref) {
    await xCall(ctx, 'delete post', { method: 'DELETE', url: `/2/tweets/${encodeURIComponent(ref.platformPostId)}` });
  },
  async fetchProfile(ctx) {
    const me = await fetchMe(ctx);
    return { externalId: me.id, handle: me.username, displayName: me.name, url: `https://x.com/${me.username}` };
  },
});
