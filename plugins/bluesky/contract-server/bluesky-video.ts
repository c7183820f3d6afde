// The video service (video.bsky.app) as the contract server speaks it: getUploadLimits, uploadVideo
// with a PDS-issued service token, and getJobStatus moving through JOB_STATE_* until the blob exists.
import { createHash, randomBytes } from 'node:crypto';
import { ContractHttpServer, HttpFailure } from '@sx/plugin-sdk';
import type { BskySessions } from './bluesky-session';
import type { StoredBlob } from './post-lexicon';

interface Job {
  jobId: string;
  did: string;
  polls: number;
  blob: StoredBlob['blob'];
  data: Buffer;
  state: 'JOB_STATE_CREATED' | 'JOB_STATE_ENCODING' | 'JOB_STATE_COMPLETED' | 'JOB_STATE_FAILED';
}

export interface VideoKnobs {
  /** getJobStatus polls before the job completes. */
  pollsUntilReady: number;
  /** When set, the job ends JOB_STATE_FAILED with this message. */
  failWith?: string;
  /** What getUploadLimits answers. */
  canUpload: boolean;
}

export class BskyVideoService {
  readonly jobs = new Map<string, Job>();
  readonly knobs: VideoKnobs = { pollsUntilReady: 2, canUpload: true };

  constructor(
    private readonly sessions: BskySessions,
    private readonly blobs: Map<string, StoredBlob>,
    private readonly serviceDid: () => string,
  ) {}

  register(http: ContractHttpServer): void {
    http.route('GET', '/xrpc/app.bsky.video.getUploadLimits', 'video.limits', (req) => {
      this.sessions.verifyService(req.headers, this.serviceDid(), 'app.bsky.video.getUploadLimits');
      const body = this.knobs.canUpload
        ? { canUpload: true, remainingDailyVideos: 25, remainingDailyBytes: 10_000_000_000 }
        : { canUpload: false, remainingDailyVideos: 0, remainingDailyBytes: 0, error: 'daily_limit', message: 'You have reached your daily upload limit' };
      return { status: 200, body };
    });

    http.route('POST', '/xrpc/app.bsky.video.uploadVideo', 'video.upload', (req) => {
      const did = this.sessions.verifyService(req.headers, this.serviceDid(), 'com.atproto.repo.uploadBlob');
      if (req.query.get('did') !== did) throw new HttpFailure(400, { error: 'InvalidRequest', message: 'did does not match the token' });
      const mimeType = req.headers['content-type'] ?? '';
      if (!/^video\//.test(mimeType)) throw new HttpFailure(400, { error: 'InvalidRequest', message: 'unsupported content type' });
      const link = `bafkrei${createHash('sha256').update(req.body).digest('hex').slice(0, 52)}`;
      const existing = [...this.jobs.values()].find((j) => j.blob.ref.$link === link && j.did === did);
      if (existing) {
        return { status: 409, body: { error: 'already_exists', message: 'Video already processed', jobId: existing.jobId } };
      }
      const job: Job = {
        jobId: randomBytes(8).toString('hex'),
        did,
        polls: 0,
        data: req.body,
        blob: { $type: 'blob', ref: { $link: link }, mimeType: 'video/mp4', size: req.body.length },
        state: 'JOB_STATE_CREATED',
      };
      this.jobs.set(job.jobId, job);
      return { status: 200, body: this.view(job) };
    });

    http.route('GET', '/xrpc/app.bsky.video.getJobStatus', 'video.status', (req) => {
      const job = this.jobs.get(req.query.get('jobId') ?? '');
      if (!job) throw new HttpFailure(400, { error: 'InvalidRequest', message: 'job not found' });
      if (job.state === 'JOB_STATE_CREATED' || job.state === 'JOB_STATE_ENCODING') {
        job.polls += 1;
        if (job.polls < this.knobs.pollsUntilReady) job.state = 'JOB_STATE_ENCODING';
        else if (this.knobs.failWith) job.state = 'JOB_STATE_FAILED';
        else {
          job.state = 'JOB_STATE_COMPLETED';
          this.blobs.set(job.blob.ref.$link, { blob: job.blob, data: job.data, owner: job.did });
        }
      }
      return { status: 200, body: { jobStatus: this.view(job) } };
    });
  }

  private view(job: Job) {
    const out: Record<string, unknown> = { jobId: job.jobId, did: job.did, state: job.state };
    if (job.state === 'JOB_STATE_ENCODING') out.progress = Math.min(99, job.polls * 40);
    if (job.state === 'JOB_STATE_COMPLETED') out.blob = job.blob;
    if (job.state === 'JOB_STATE_FAILED') {
      out.error = 'encoding_failed';
      out.message = this.knobs.failWith;
    }
    return out;
  }
}
