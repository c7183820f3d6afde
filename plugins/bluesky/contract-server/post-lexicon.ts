// The app.bsky.feed.post lexicon checks the reference PDS performs on createRecord:
// text ≤ 300 graphemes and ≤ 3000 bytes, facet ranges inside the text, ≤ 4 images (≤ 1,000,000
// bytes each, alt required) or one video (≤ 100 MB), blobs uploaded by the same account.
import { HttpFailure } from '@sx/plugin-sdk';

export interface StoredBlob {
  blob: { $type: 'blob'; ref: { $link: string }; mimeType: string; size: number };
  data: Buffer;
  owner: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const invalid = (message: string) => new HttpFailure(400, { error: 'InvalidRequest', message: `Invalid app.bsky.feed.post record: ${message}` });

function ownedBlob(blobs: Map<string, StoredBlob>, ref: { ref?: { $link?: string } } | undefined, did: string): StoredBlob {
  const stored = blobs.get(ref?.ref?.$link ?? '');
  if (!stored || stored.owner !== did) {
    throw new HttpFailure(400, { error: 'InvalidRequest', message: `Could not find blob: ${ref?.ref?.$link ?? 'missing'}` });
  }
  return stored;
}

export function validatePostRecord(record: Record<string, unknown>, did: string, blobs: Map<string, StoredBlob>): void {
  const text = typeof record.text === 'string' ? record.text : undefined;
  if (record.$type !== 'app.bsky.feed.post' || text === undefined || typeof record.createdAt !== 'string') {
    throw invalid('Record must have the properties "text" and "createdAt"');
  }
  const graphemes = [...segmenter.segment(text)].length;
  if (graphemes > 300) throw invalid(`grapheme too big (maximum 300, got ${graphemes}) at $.record.text`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > 3000) throw invalid(`string too long (maximum 3000, got ${bytes}) at $.record.text`);
  const facets = Array.isArray(record.facets) ? (record.facets as Array<{ index?: { byteStart?: number; byteEnd?: number } }>) : [];
  for (const f of facets) {
    const s = f.index?.byteStart ?? -1;
    const e = f.index?.byteEnd ?? -1;
    if (s < 0 || e <= s || e > bytes) throw invalid('facet index out of range at $.record.facets');
  }
  const embed = record.embed as
    | { $type?: string; images?: Array<{ image?: StoredBlob['blob']; alt?: unknown }>; video?: StoredBlob['blob']; alt?: unknown }
    | undefined;
  if (!embed) return;
  if (embed.$type === 'app.bsky.embed.images') {
    const images = embed.images ?? [];
    if (images.length > 4) throw invalid('Array too long (maximum 4) at $.record.embed.images');
    for (const img of images) {
      if (typeof img.alt !== 'string') throw invalid('alt must be a string at $.record.embed.images');
      const stored = ownedBlob(blobs, img.image, did);
      if (stored.blob.size > 1_000_000) {
        throw new HttpFailure(400, { error: 'BlobTooLarge', message: 'This file is too large. The maximum size is 976.56KB.' });
      }
      if (!stored.blob.mimeType.startsWith('image/')) throw invalid(`Wrong type of file. It is ${stored.blob.mimeType} but it must match image/*.`);
    }
    return;
  }
  if (embed.$type === 'app.bsky.embed.video') {
    const stored = ownedBlob(blobs, embed.video, did);
    if (!stored.blob.mimeType.startsWith('video/')) throw invalid(`Wrong type of file. It is ${stored.blob.mimeType} but it must match video/*.`);
    if (stored.blob.size > 100_000_000) throw new HttpFailure(400, { error: 'BlobTooLarge', message: 'This file is too large.' });
    return;
  }
  throw invalid(`unsupported embed ${embed.$type}`);
}
