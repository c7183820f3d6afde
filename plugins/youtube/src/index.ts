import { definePlugin, manifestSchema } from '@sx/plugin-sdk';
import pkg from '../package.json';
import type { YouTubeCredentials, YouTubeSettings } from './youtube-api';
import { beginOAuth2, connect, fetchChannel, refreshCredentials } from './youtube-oauth';
import { publishVideo, reconcileVideo } from './youtube-publish';
import { validateYouTube } from './youtube-validate';

/** The manifest lives in package.json (the host reads it there too). */
const manifest = manifestSchema.parse(pkg.schedulerx);

export default definePlugin<YouTubeCredentials, YouTubeSettings>({
  // validate gets no context: the wall clock only decides whether publishAt lies in the future.
  validate: (post, media) => validateYouTube(manifest, post, media, Date.now()),
  beginOAuth2,
  connect,
  publish: publishVideo,
  reconcile: reconcileVideo,
  refreshCredentials,
  async fetchProfile(ctx) {
    const ch = await fetchChannel(ctx);
    return { externalId: ch.channelId, handle: ch.handle ?? ch.channelTitle, displayName: ch.channelTitle, url: `https://www.youtube.com/channel/${ch.channelId}` };
  },
});
