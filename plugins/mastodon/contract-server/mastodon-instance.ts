// GET /api/v2/instance: the instance's own limits (configuration.statuses / media_attachments),
// per docs.joinmastodon.org entities/Instance. Upstream defaults; tests change them per instance.
import type { ContractHttpServer } from '@sx/plugin-sdk';

export interface InstanceLimits {
  maxCharacters: number;
  maxMediaAttachments: number;
  charactersReservedPerUrl: number;
  supportedMimeTypes: string[];
  imageSizeLimit: number;
  imageMatrixLimit: number;
  videoSizeLimit: number;
  videoFrameRateLimit: number;
  videoMatrixLimit: number;
  descriptionLimit: number;
}

export const DEFAULT_LIMITS: InstanceLimits = {
  maxCharacters: 500,
  maxMediaAttachments: 4,
  charactersReservedPerUrl: 23,
  supportedMimeTypes: [
    'image/jpeg', 'image/png', 'image/gif', 'image/heic', 'image/heif', 'image/webp', 'image/avif',
    'video/webm', 'video/mp4', 'video/quicktime', 'video/ogg', 'audio/mpeg', 'audio/ogg', 'audio/wav',
  ],
  imageSizeLimit: 16_777_216,
  imageMatrixLimit: 33_177_600,
  videoSizeLimit: 103_809_024,
  videoFrameRateLimit: 120,
  videoMatrixLimit: 8_294_400,
  descriptionLimit: 1500,
};

export function registerInstance(http: ContractHttpServer, domain: () => string, limits: () => InstanceLimits): void {
  http.route('GET', '/api/v2/instance', 'instance', () => {
    const l = limits();
    return {
      status: 200,
      body: {
        domain: domain(),
        title: 'SchedulerX contract instance',
        version: '4.3.0',
        source_url: 'https://github.com/mastodon/mastodon',
        configuration: {
          urls: { streaming: `wss://${domain()}` },
          accounts: { max_featured_tags: 10 },
          statuses: {
            max_characters: l.maxCharacters,
            max_media_attachments: l.maxMediaAttachments,
            characters_reserved_per_url: l.charactersReservedPerUrl,
          },
          media_attachments: {
            supported_mime_types: l.supportedMimeTypes,
            description_limit: l.descriptionLimit,
            image_size_limit: l.imageSizeLimit,
            image_matrix_limit: l.imageMatrixLimit,
            video_size_limit: l.videoSizeLimit,
            video_frame_rate_limit: l.videoFrameRateLimit,
            video_matrix_limit: l.videoMatrixLimit,
          },
          polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
        },
      },
    };
  });
}
