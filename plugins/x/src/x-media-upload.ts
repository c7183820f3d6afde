// Chunked media upload: INIT → APPEND (≤ 1 MiB segments) → FINALIZE → STATUS polling while
// processing_info says pending/in_progress; alt text through /2/media/metadata.
import { RejectedError, RetryableError, multipart, type MediaRef } from '@sx/plugin-sdk';
import { xCall, type XContext } from './x-api';

const CHUNK = 1024 * 1024;
const MAX_POLLS = 30;
const MAX_WAIT_MS = 10_000;

interface ProcessingInfo {
  state?: 'pending' | 'in_progress' | 'succeeded' | 'failed';
  check_after_secs?: number;
  error?: { message?: string };
}
interface MediaData {
  id: string;
  processing_info?: ProcessingInfo;
}

const category = (m: MediaRef) => (m.kind === 'video' ? 'tweet_video' : m.kind === 'gif' ? 'tweet_gif' : 'tweet_image');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function uploadMedia(ctx: XContext, ref: MediaRef): Promise<string> {
  const bytes = await ctx.media.read(ref.id);
  const init = await xCall(ctx, 'media INIT', {
    method: 'POST',
    url: '/2/media/upload/initialize',
    json: { media_type: ref.mimeType, total_bytes: bytes.length, media_category: category(ref) },
  });
  const id = init.json<{ data?: { id?: string } }>()?.data?.id;
  if (!id) throw new RetryableError('media INIT answered without a media id');
  for (let i = 0, offset = 0; offset < bytes.length; i++, offset += CHUNK) {
    const form = multipart([
      { name: 'segment_index', value: String(i) },
      { name: 'media', value: bytes.subarray(offset, offset + CHUNK), filename: ref.filename ?? 'media', contentType: ref.mimeType },
    ]);
    await xCall(ctx, 'media APPEND', {
      method: 'POST',
      url: `/2/media/upload/${id}/append`,
      body: form.body,
      headers: { 'content-type': form.contentType },
    });
  }
  const fin = await xCall(ctx, 'media FINALIZE', { method: 'POST', url: `/2/media/upload/${id}/finalize` });
  await waitUntilProcessed(ctx, id, fin.json<{ data?: MediaData }>()?.data?.processing_info);
  if (ref.altText && ref.kind !== 'video') {
    await xCall(ctx, 'media metadata', {
      method: 'POST',
      url: '/2/media/metadata',
      json: { id, metadata: { alt_text: { text: ref.altText } } },
    });
  }
  return id;
}

async function waitUntilProcessed(ctx: XContext, id: string, first: ProcessingInfo | undefined): Promise<void> {
  let info = first;
  for (let poll = 0; info && info.state !== 'succeeded'; poll++) {
    if (info.state === 'failed') {
      throw new RejectedError(`X could not process the media: ${info.error?.message ?? 'failed'}`, [
        { rule: 'x.media_processing', message: info.error?.message ?? 'media processing failed' },
      ]);
    }
    const waitMs = Math.min(MAX_WAIT_MS, Math.max(0, (info.check_after_secs ?? 1) * 1000));
    if (poll >= MAX_POLLS) throw new RetryableError('X is still processing the media', waitMs);
    if (waitMs > 0) await sleep(waitMs);
    const res = await xCall(ctx, 'media STATUS', {
      method: 'GET',
      url: `/2/media/upload?command=STATUS&media_id=${encodeURIComponent(id)}`,
    });
    info = res.json<{ data?: MediaData }>()?.data?.processing_info;
  }
}
