import { RejectedError, type PublishPost, type PublishResult, type ReconcileResult } from '@sx/plugin-sdk';
import { startSession, uploadToSession, type UploadedVideo } from './resumable-upload';
import { credentialsOf, ytCall, type YouTubeContext } from './youtube-api';
import { insertBody, isShort, markerTag, postOptionsSchema, videoUrl } from './youtube-post';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Status reads after the upload; processing usually ends within them for short clips, else the post stands as uploaded. */
const PROCESSING_POLLS = 8;

interface VideoStatus {
  /** uploaded | processed | failed | rejected | deleted */
  uploadStatus?: string;
  privacyStatus?: string;
  failureReason?: string;
  rejectionReason?: string;
}

export async function publishVideo(ctx: YouTubeContext, post: PublishPost): Promise<PublishResult> {
  const video = post.media.find((m) => m.kind === 'video');
  if (!video) throw new RejectedError('a YouTube post needs one video', [{ rule: 'media.video_required', message: 'attach one video' }]);
  const options = postOptionsSchema.parse(post.settings ?? {});
  const upload = {
    metadata: insertBody(post, options, markerTag(ctx.idempotencyKey)),
    notifySubscribers: options.notifySubscribers,
    contentType: video.mimeType,
    total: video.sizeBytes,
    open: () => ctx.media.open(video.id),
  };
  const session = await startSession(ctx, upload);
  const report = await uploadToSession(ctx, session, upload);
  ctx.logger.info('youtube upload finished', { videoId: report.video.id, chunks: report.chunks, resumes: report.resumes });
  const id = report.video.id;
  await setThumbnail(ctx, post, id);
  const status = await awaitProcessing(ctx, report.video);
  if (status.uploadStatus === 'rejected') throw new RejectedError(`YouTube rejected the video (${status.rejectionReason ?? 'no reason given'})`, [{ rule: `youtube.rejected.${status.rejectionReason ?? 'unknown'}`, message: 'YouTube rejected the upload' }]);
  if (status.uploadStatus === 'failed') throw new RejectedError(`YouTube could not process the video (${status.failureReason ?? 'no reason given'})`, [{ rule: `youtube.failed.${status.failureReason ?? 'unknown'}`, message: 'processing failed' }]);
  const wanted = options.publishAt ? 'private' : options.privacyStatus;
  if (status.privacyStatus === 'private' && wanted !== 'private') {
    ctx.logger.warn('YouTube locked the video to private: the API project has not passed the YouTube API audit', { videoId: id });
  }
  return { platformPostId: id, url: videoUrl(id, isShort(video)) };
}

async function awaitProcessing(ctx: YouTubeContext, uploaded: UploadedVideo): Promise<VideoStatus> {
  let status: VideoStatus = uploaded.status ?? { uploadStatus: 'uploaded' };
  for (let poll = 1; poll <= PROCESSING_POLLS && (status.uploadStatus ?? 'uploaded') === 'uploaded'; poll++) {
    await sleep(Math.min(2_000, 100 * poll));
    const res = await ytCall(ctx, 'videos.list', { method: 'GET', url: `/youtube/v3/videos?part=status,processingDetails&id=${encodeURIComponent(uploaded.id)}` });
    status = res.json<{ items?: { status?: VideoStatus }[] }>()?.items?.[0]?.status ?? status;
  }
  return status;
}

/** The custom thumbnail (an attached image). The video already exists, so a refusal here only warns. */
async function setThumbnail(ctx: YouTubeContext, post: PublishPost, videoId: string): Promise<void> {
  const image = post.media.find((m) => m.kind === 'image');
  if (!image) return;
  try {
    await ytCall(ctx, 'thumbnails.set', {
      method: 'POST',
      url: `/upload/youtube/v3/thumbnails/set?videoId=${encodeURIComponent(videoId)}`,
      headers: { 'content-type': image.mimeType },
      body: await ctx.media.read(image.id),
    });
  } catch (e) {
    ctx.logger.warn('youtube thumbnail not set; the video is published without it', { videoId, error: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * After an ambiguous attempt: the newest uploads of the channel's uploads playlist, then their tags,
 * looking for this job's marker tag.
 */
export async function reconcileVideo(ctx: YouTubeContext, post: PublishPost): Promise<ReconcileResult> {
  const c = credentialsOf(ctx.credentials);
  const marker = markerTag(ctx.idempotencyKey);
  const list = await ytCall(ctx, 'playlistItems.list', {
    method: 'GET',
    url: `/youtube/v3/playlistItems?part=contentDetails&maxResults=10&playlistId=${encodeURIComponent(c.uploadsPlaylistId)}`,
  });
  const ids = (list.json<{ items?: { contentDetails?: { videoId?: string } }[] }>()?.items ?? []).map((i) => i.contentDetails?.videoId).filter((x): x is string => !!x);
  if (!ids.length) return { status: 'not_found' };
  const videos = await ytCall(ctx, 'videos.list', { method: 'GET', url: `/youtube/v3/videos?part=snippet&id=${ids.map(encodeURIComponent).join(',')}` });
  const match = (videos.json<{ items?: { id: string; snippet?: { tags?: string[]; publishedAt?: string } }[] }>()?.items ?? []).find((v) => v.snippet?.tags?.includes(marker));
  if (!match) return { status: 'not_found' };
  return { status: 'found', platformPostId: match.id, url: videoUrl(match.id, isShort(post.media.find((m) => m.kind === 'video'))), publishedAt: match.snippet?.publishedAt };
}
