// Bluesky plugin: app-password sessions, facets, up to 4 images with alt text or one video, threads, and record keys
// chosen before create so a crashed attempt can be reconciled with getRecord.
import {
  definePlugin,
  parseManifest,
  composeText,
  countGraphemes,
  utf8Bytes,
  validateAgainstManifest,
  validationResult,
  type MediaRef,
  type PostContent,
  type ReconcileResult,
  type Violation,
} from '@sx/plugin-sdk';
import pkg from '../package.json';
import { requireSession, xrpc, type BskyContext, type BskyCredentials, type BskySettings } from './bsky-api';
import { connect, refreshCredentials } from './bsky-session';
import { POST, getRecord, postUrl, publishPost } from './bsky-publish';
import { recordKeyFor, rkeyOfUri } from './record-key';

const parsed = parseManifest(pkg.schedulerx);
if (!parsed.ok) throw new Error(`invalid Bluesky manifest: ${parsed.problems.join('; ')}`);
export const manifest = parsed.manifest;

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

async function reconcile(ctx: BskyContext): Promise<ReconcileResult> {
  const { did } = requireSession(ctx);
  const found = await getRecord(ctx, did, recordKeyFor(ctx.idempotencyKey));
  if (!found) return { status: 'not_found' };
  return { status: 'found', platformPostId: found.uri, url: postUrl(ctx.credentials.handle ?? did, found.uri), publishedAt: found.createdAt };
}

export default definePlugin<BskyCredentials, BskySettings>({
  manifest,
  validate,
  publish: publishPost,
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
