// POST /api/v2/media: 200 = processed, 202 = still processing → poll GET /api/v1/media/:id
// (206 while processing, 200 when the url is set) before the id may be attached to a status.
import { RetryableError, multipart, type MediaRef, type MultipartField } from '@sx/plugin-sdk';
import { mastodonCall, type MastodonContext } from './mastodon-api';

const MAX_POLLS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function uploadMedia(ctx: MastodonContext, ref: MediaRef): Promise<string> {
  const bytes = await ctx.media.read(ref.id);
  const fields: MultipartField[] = [
    { name: 'file', value: bytes, filename: ref.filename ?? `upload.${ref.mimeType.split('/')[1]}`, contentType: ref.mimeType },
  ];
  if (ref.altText) fields.push({ name: 'description', value: ref.altText });
  const form = multipart(fields);
  const res = await mastodonCall(ctx, ctx.credentials.accessToken, 'media upload', {
    method: 'POST',
    url: '/api/v2/media',
    body: form.body,
    headers: { 'content-type': form.contentType },
  });
  const id = res.json<{ id?: string }>()?.id;
  if (!id) throw new RetryableError('media upload answered without an id');
  if (res.status === 202) await waitUntilProcessed(ctx, id);
  return id;
}

async function waitUntilProcessed(ctx: MastodonContext, id: string): Promise<void> {
  for (let poll = 1; poll <= MAX_POLLS; poll++) {
    await sleep(Math.min(3_000, 100 * poll));
    const res = await mastodonCall(ctx, ctx.credentials.accessToken, 'media status', {
      method: 'GET',
      url: `/api/v1/media/${encodeURIComponent(id)}`,
    });
    if (res.status === 200 && res.json<{ url?: string | null }>()?.url) return;
  }
  throw new RetryableError('the instance is still processing the media', 30_000);
}
