// Video through the video service (../shared/platforms/bluesky.md "Video (async)"): a service-auth
// token from the PDS, the daily quota check, uploadVideo, then getJobStatus polling until the
// job is JOB_STATE_COMPLETED and carries the blob to embed.
import { RateLimitedError, RejectedError, RetryableError, type MediaRef } from '@sx/plugin-sdk';
import { classifyBsky, serviceUrl, xrpc, type BskyContext } from './bsky-api';

const MAX_POLLS = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface JobStatus {
  jobId?: string;
  state?: string;
  blob?: unknown;
  error?: string;
  message?: string;
}

const videoBase = (ctx: BskyContext) => (ctx.settings.videoService ?? 'https://video.bsky.app').replace(/\/+$/, '');
const didWeb = (url: string) => `did:web:${encodeURIComponent(new URL(url).host)}`;

async function serviceAuth(ctx: BskyContext, accessJwt: string, aud: string, lxm: string): Promise<string> {
  const exp = Math.floor(ctx.clock.nowMs() / 1000) + 30 * 60;
  const q = new URLSearchParams({ aud, lxm, exp: String(exp) });
  const res = await xrpc(ctx, accessJwt, 'getServiceAuth', { method: 'GET', url: `com.atproto.server.getServiceAuth?${q}` });
  const token = res.json<{ token?: string }>()?.token;
  if (!token) throw new RetryableError('getServiceAuth answered without a token');
  return token;
}

async function checkQuota(ctx: BskyContext, accessJwt: string): Promise<void> {
  const token = await serviceAuth(ctx, accessJwt, didWeb(videoBase(ctx)), 'app.bsky.video.getUploadLimits');
  const res = await ctx.http.request({
    method: 'GET',
    url: `${videoBase(ctx)}/xrpc/app.bsky.video.getUploadLimits`,
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status < 200 || res.status >= 300) throw classifyBsky(res, ctx.clock.nowMs(), 'getUploadLimits');
  const limits = res.json<{ canUpload?: boolean; message?: string }>();
  if (limits?.canUpload === false) {
    const now = ctx.clock.now();
    const nextDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    throw new RateLimitedError(`daily video quota reached: ${limits.message ?? 'cannot upload'}`, new Date(nextDay));
  }
}

/** Uploads one video and returns its blob once the service has processed it. */
export async function uploadVideo(ctx: BskyContext, accessJwt: string, did: string, ref: MediaRef): Promise<unknown> {
  await checkQuota(ctx, accessJwt);
  const pds = ctx.credentials.pdsUrl ?? serviceUrl(ctx.settings);
  const token = await serviceAuth(ctx, accessJwt, didWeb(pds), 'com.atproto.repo.uploadBlob');
  const q = new URLSearchParams({ did, name: ref.filename ?? `${ref.id}.mp4` });
  const res = await ctx.http.request({
    method: 'POST',
    url: `${videoBase(ctx)}/xrpc/app.bsky.video.uploadVideo?${q}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': ref.mimeType },
    body: await ctx.media.read(ref.id),
    timeoutMs: 120_000,
  });
  const body = res.json<JobStatus & { jobStatus?: JobStatus }>();
  // The same bytes processed before: the service names the existing job.
  const alreadyExists = res.status === 409 && body?.error === 'already_exists' && body.jobId;
  if (!alreadyExists && (res.status < 200 || res.status >= 300)) throw classifyBsky(res, ctx.clock.nowMs(), 'uploadVideo');
  const jobId = body?.jobStatus?.jobId ?? body?.jobId;
  if (!jobId) throw new RetryableError('uploadVideo answered without a job id');
  return waitForBlob(ctx, jobId);
}

async function waitForBlob(ctx: BskyContext, jobId: string): Promise<unknown> {
  for (let poll = 1; poll <= MAX_POLLS; poll++) {
    const res = await ctx.http.request({
      method: 'GET',
      url: `${videoBase(ctx)}/xrpc/app.bsky.video.getJobStatus?jobId=${encodeURIComponent(jobId)}`,
    });
    if (res.status < 200 || res.status >= 300) throw classifyBsky(res, ctx.clock.nowMs(), 'getJobStatus');
    const job = res.json<{ jobStatus?: JobStatus }>()?.jobStatus;
    if (job?.blob && job.state === 'JOB_STATE_COMPLETED') return job.blob;
    if (job?.state === 'JOB_STATE_FAILED') {
      const why = `${job.error ?? 'failed'}: ${job.message ?? ''}`.trim();
      throw new RejectedError(`the video service could not process the video (${why})`, [{ rule: 'bluesky.video_processing', message: why }]);
    }
    await sleep(Math.min(5_000, 150 * poll));
  }
  throw new RetryableError('the video service is still processing the video', 60_000);
}
