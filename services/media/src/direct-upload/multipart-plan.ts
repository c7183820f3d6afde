import {
  MULTIPART_MAX_PART_BYTES,
  MULTIPART_MAX_PARTS,
  MULTIPART_MIN_PART_BYTES,
  MULTIPART_URLS_PER_PAGE,
} from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import type { AssetStore } from '../ports';

/** S3's limit for one PUT; a larger direct upload has to be multipart. */
export const SINGLE_PUT_MAX_BYTES = 5 * 1024 ** 3;
/** Part size when the client does not ask for one: few requests, little for a retry to resend. */
export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
const MIB = 1024 * 1024;

export interface PartPlan {
  partSize: number;
  partCount: number;
}

/**
 * How a file of `bytes` is cut into parts: the requested size, else 8 MiB, grown (in whole MiB) so the
 * file fits in 10 000 parts. Every part but the last is `partSize`, so all but the last meet S3's 5 MiB floor.
 */
export function planParts(bytes: number, requested?: number): PartPlan {
  const fitting = Math.ceil(bytes / MULTIPART_MAX_PARTS / MIB) * MIB;
  const partSize = requested ?? Math.max(DEFAULT_PART_BYTES, fitting);
  if (partSize < MULTIPART_MIN_PART_BYTES || partSize > MULTIPART_MAX_PART_BYTES) {
    throw new AppError('invalid_part_size', `partSize must be in ${MULTIPART_MIN_PART_BYTES}..${MULTIPART_MAX_PART_BYTES}`, 400);
  }
  const partCount = Math.ceil(bytes / partSize);
  if (partCount > MULTIPART_MAX_PARTS) {
    throw new AppError('invalid_part_size', `partSize ${partSize} needs more than ${MULTIPART_MAX_PARTS} parts; use at least ${fitting}`, 400, {
      minPartSize: fitting,
    });
  }
  return { partSize, partCount };
}

/** Signs part URLs `fromPart .. fromPart+count-1`, never past the 10 000th part. */
export async function signParts(
  store: AssetStore,
  key: string,
  multipartId: string,
  fromPart: number,
  count: number,
  ttlS: number,
): Promise<{ partNumber: number; url: string }[]> {
  const last = Math.min(fromPart + Math.min(count, MULTIPART_URLS_PER_PAGE) - 1, MULTIPART_MAX_PARTS);
  const parts: { partNumber: number; url: string }[] = [];
  for (let partNumber = fromPart; partNumber <= last; partNumber++) {
    parts.push({ partNumber, url: await store.presignPart(key, multipartId, partNumber, ttlS) });
  }
  return parts;
}
