// Writing posts: every record key is derived from the job's idempotency key (main post and each
// thread reply), so a later attempt first looks the key up and never writes the same record twice.
import { OutcomeUnknownError, RejectedError, composeText, type MediaRef, type PublishPost, type PublishResult } from '@sx/plugin-sdk';
import { classifyBsky, requireSession, serviceUrl, xrpc, type BskyContext } from './bsky-api';
import { uploadVideo } from './bsky-video';
import { buildFacets } from './facets';
import { recordKeyFor, rkeyOfUri } from './record-key';

export const POST = 'app.bsky.feed.post';

interface Written {
  uri: string;
  cid: string;
  createdAt?: string;
}

export const postUrl = (handle: string, uri: string) => `https://bsky.app/profile/${handle}/post/${rkeyOfUri(uri)}`;
export const threadKey = (idempotencyKey: string, index: number) => `${idempotencyKey}:thread:${index}`;

export async function getRecord(ctx: BskyContext, did: string, rkey: string): Promise<Written | undefined> {
  const q = new URLSearchParams({ repo: did, collection: POST, rkey });
  const res = await ctx.http.request({ method: 'GET', url: `${serviceUrl(ctx.settings)}/xrpc/com.atproto.repo.getRecord?${q}` });
  if (res.status === 400 && res.json<{ error?: string }>()?.error === 'RecordNotFound') return undefined;
  if (res.status !== 200) throw classifyBsky(res, ctx.clock.nowMs(), 'getRecord');
  const body = res.json<{ uri?: string; cid?: string; value?: { createdAt?: string } }>();
  if (!body?.uri || !body.cid) throw new OutcomeUnknownError('getRecord answered without a uri');
  return { uri: body.uri, cid: body.cid, createdAt: body.value?.createdAt };
}

async function textRecord(ctx: BskyContext, text: string): Promise<Record<string, unknown>> {
  const record: Record<string, unknown> = { $type: POST, text, createdAt: ctx.clock.now().toISOString() };
  const facets = await buildFacets(text, async (handle) => {
    const q = new URLSearchParams({ handle });
    const res = await ctx.http.request({ method: 'GET', url: `${serviceUrl(ctx.settings)}/xrpc/com.atproto.identity.resolveHandle?${q}` });
    return res.status === 200 ? res.json<{ did?: string }>()?.did : undefined;
  });
  if (facets.length) record.facets = facets;
  if (ctx.settings.langs?.length) record.langs = ctx.settings.langs.slice(0, 3);
  return record;
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
  const video = media.find((m) => m.kind === 'video');
  if (!video) return { $type: 'app.bsky.embed.images', images: await uploadImages(ctx, accessJwt, media) };
  if (media.length > 1) throw new RejectedError('a Bluesky post takes one video and nothing else', [{ rule: 'media.mixed', message: 'one video only' }]);
  const embed: Record<string, unknown> = { $type: 'app.bsky.embed.video', video: await uploadVideo(ctx, accessJwt, did, video) };
  if (video.altText) embed.alt = video.altText;
  if (video.width && video.height) embed.aspectRatio = { width: video.width, height: video.height };
  return embed;
}

async function create(ctx: BskyContext, accessJwt: string, did: string, rkey: string, record: Record<string, unknown>): Promise<Written> {
  const res = await xrpc(ctx, accessJwt, 'createRecord', { method: 'POST', url: 'com.atproto.repo.createRecord', json: { repo: did, collection: POST, rkey, record } });
  const body = res.json<{ uri?: string; cid?: string }>();
  if (!body?.uri || !body.cid) throw new OutcomeUnknownError('createRecord answered without a uri');
  return { uri: body.uri, cid: body.cid, createdAt: String(record.createdAt) };
}

export async function publishPost(ctx: BskyContext, post: PublishPost): Promise<PublishResult> {
  const { did, accessJwt } = requireSession(ctx);
  // After a failed attempt a record may exist (the PDS answers a duplicate rkey with a bare 500): look first.
  const retry = ctx.attempt > 1;
  const rootKey = recordKeyFor(ctx.idempotencyKey);
  let root = retry ? await getRecord(ctx, did, rootKey) : undefined;
  if (!root) {
    const record = await textRecord(ctx, composeText(post.text, post.hashtags));
    if (post.media.length) record.embed = await buildEmbed(ctx, accessJwt, did, post.media);
    root = await create(ctx, accessJwt, did, rootKey, record);
  }
  const extraPostIds: string[] = [];
  let parent = root;
  for (const [i, text] of (post.thread ?? []).entries()) {
    const rkey = recordKeyFor(threadKey(ctx.idempotencyKey, i + 1));
    let reply = retry ? await getRecord(ctx, did, rkey) : undefined;
    if (!reply) {
      const record = await textRecord(ctx, text);
      record.reply = { root: { uri: root.uri, cid: root.cid }, parent: { uri: parent.uri, cid: parent.cid } };
      reply = await create(ctx, accessJwt, did, rkey, record);
    }
    extraPostIds.push(reply.uri);
    parent = reply;
  }
  const result: PublishResult = { platformPostId: root.uri, url: postUrl(ctx.credentials.handle ?? did, root.uri), publishedAt: root.createdAt };
  if (extraPostIds.length) result.extraPostIds = extraPostIds;
  return result;
}
