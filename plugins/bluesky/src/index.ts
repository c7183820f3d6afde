// Bluesky plugin: app-password sessions, facets, up to 4 images with alt text, and a record key
// chosen before create so a crashed attempt can be reconciled with getRecord.
import {
  definePlugin,
  parseManifest,
  composeText,
  countGraphemes,
  utf8Bytes,
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
import { classifyBsky, requireSession, serviceUrl, xrpc, type BskyContext, type BskyCredentials, type BskySettings } from './bsky-api';
import { connect, refreshCredentials } from './bsky-session';
import { buildFacets } from './facets';
import { uploadVideo } from './bsky-video';
import { recordKeyFor, rkeyOfUri } from './record-key';

const parsed = parseManifest(pkg.schedulerx);
if (!parsed.ok) throw new Error(`invalid Bluesky manifest: ${parsed.problems.join('; ')}`);
export const manifest = parsed.manifest;

const POST = 'app.bsky.feed.post';
const MAX_BYTES = 3000;

export function validate(post: PostContent, media: readonly MediaRef[]) {
  const v: Violation[] = [...validateAgainstManifest(manifest, post, media).violations];
  const text = composeText(post.text, post.hashtags);
  const size = utf8Bytes(text);
  if (size > MAX_BYTES) v.push({ rule: 'text.max_bytes', field: 'text', message: `text is ${size} UTF-8 bytes; the limit is ${MAX_BYTES}`, limit: MAX_BYTES, actual: size });
  if (!text.trim() && media.length === 0) v.push({ rule: 'text.required', field: 'text', message: 'text or images are required' });
  media.forEach((m, i) => {
    if (m.altText && countGraphemes(m.altText) > 1000) v.push({ rule: 'media.alt_text.max_length', field: `media.${i}`, message: 'alt text is longer than 1000 graphemes', limit: 1000 });
  });
  return validationResult(v);
}

const postUrl = (handle: string, uri: string) => `https://bsky.app/profile/${handle}/post/${rkeyOfUri(uri)}`;

async function getRecord(ctx: BskyContext, did: string, rkey: string): Promise<{ uri: string; value?: { createdAt?: string } } | undefined> {
  const q = new URLSearchParams({ repo: did, collection: POST, rkey });
  const res = await ctx.http.request({ method: 'GET', url: `${serviceUrl(ctx.settings)}/xrpc/com.atproto.repo.getRecord?${q}` });
  if (res.status === 200) return res.json<{ uri: string; value?: { createdAt?: string } }>();
  if (res.status === 400 && res.json<{ error?: string }>()?.error === 'RecordNotFound') return undefined;
  throw classifyBsky(res, ctx.clock.nowMs(), 'getRecord');
}

async function uploadImages(ctx: BskyContext, token: string, media: readonly MediaRef[]) {
  const images = [];
  for (const ref of media) {
    const bytes = await ctx.media.read(ref.id);
    const res = await xrpc(ctx, token, 'uploadBlob', { method: 'POST', url: 'com.atproto.repo.uploadBlob', body: bytes, headers: { 'content-type': ref.mimeType } });
    const blob = res.json<{ blob?: unknown }>()?.blob;
    if (!blob) throw new OutcomeUnknownError('uploadBlob answered without a blob');
    const image: Record<string, unknown> = { image: blob, alt: ref.altText ?? '' };
    if (ref.width && ref.height) image.aspectRatio = { width: ref.width, height: ref.height };
    images.push(image);
  }
  return images;
}

async function buildEmbed(ctx: BskyContext, accessJwt: string, did: string, media: readonly MediaRef[]) {
  if (!media.length) return undefined;
  const video = media.find((m) => m.kind === 'video');
  if (!video) return { $type: 'app.bsky.embed.images', images: await uploadImages(ctx, accessJwt, media) };
  if (media.length > 1) throw new RejectedError('a Bluesky post takes one video and nothing else', [{ rule: 'media.mixed', message: 'one video only' }]);
  const embed: Record<string, unknown> = { $type: 'app.bsky.embed.video', video: await uploadVideo(ctx, accessJwt, did, video) };
  if (video.altText) embed.alt = video.altText;
  if (video.width && video.height) embed.aspectRatio = { width: video.width, height: video.height };
  return embed;
}

async function publish(ctx: BskyContext, post: PublishPost): Promise<PublishResult> {
  const { did, accessJwt } = requireSession(ctx);
  const handle = ctx.credentials.handle ?? did;
  const rkey = recordKeyFor(ctx.idempotencyKey);
  if (ctx.attempt > 1) {
    // A previous attempt may have landed: the PDS answers a duplicate rkey with a bare 500.
    const existing = await getRecord(ctx, did, rkey);
    if (existing) return { platformPostId: existing.uri, url: postUrl(handle, existing.uri), publishedAt: existing.value?.createdAt };
  }
  const text = composeText(post.text, post.hashtags);
  const record: Record<string, unknown> = { $type: POST, text, createdAt: ctx.clock.now().toISOString() };
  const facets = await buildFacets(text, async (h) => {
    const res = await ctx.http.request({ method: 'GET', url: `${serviceUrl(ctx.settings)}/xrpc/com.atproto.identity.resolveHandle?handle=${encodeURIComponent(h)}` });
    return res.status === 200 ? res.json<{ did?: string }>()?.did : undefined;
  });
  if (facets.length) record.facets = facets;
  if (ctx.settings.langs?.length) record.langs = ctx.settings.langs.slice(0, 3);
  record.embed = await buildEmbed(ctx, accessJwt, did, post.media);
  if (!record.embed) delete record.embed;
  const res = await xrpc(ctx, accessJwt, 'createRecord', { method: 'POST', url: 'com.atproto.repo.createRecord', json: { repo: did, collection: POST, rkey, record } });
  const uri = res.json<{ uri?: string }>()?.uri;
  if (!uri) throw new OutcomeUnknownError('createRecord answered without a uri');
  return { platformPostId: uri, url: postUrl(handle, uri), publishedAt: String(record.createdAt) };
}

async function reconcile(ctx: BskyContext): Promise<ReconcileResult> {
  const { did } = requireSession(ctx);
  const found = await getRecord(ctx, did, recordKeyFor(ctx.idempotencyKey));
  if (!found) return { status: 'not_found' };
  return { status: 'found', platformPostId: found.uri, url: postUrl(ctx.credentials.handle ?? did, found.uri), publishedAt: found.value?.createdAt };
}

export default definePlugin<BskyCredentials, BskySettings>({
  manifest,
  validate,
  publish,
  connect,
  reconcile,
  refreshCredentials,
  async deletePost(ctx, ref) {
    const { did, accessJwt } = requireSession(ctx);
    await xrpc(ctx, accessJwt, 'deleteRecord', { method: 'POST', url: 'com.atproto.repo.deleteRecord', json: { repo: did, collection: POST, rkey: rkeyOfUri(ref.platformPostId) } });
  },
  async fetchProfile(ctx) {
    const { accessJwt } = requireSession(ctx);
    const res = await xrpc(ctx, accessJwt, 'getSession', { method: 'GET', url: 'com.atproto.server.getSession' });
    const s = res.json<{ did?: string; handle?: string }>();
    const handle = s?.handle ?? ctx.credentials.handle ?? '';
    return { externalId: s?.did ?? '', handle, url: `https://bsky.app/profile/${handle}` };
  },
});
