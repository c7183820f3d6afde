import { validateAgainstManifest, validationResult, type MediaRef, type PluginManifest, type PostContent, type ValidationResult, type Violation } from '@sx/plugin-sdk';
import { descriptionOf, postOptionsSchema, tagsLength, tagsOf, titleOf, TAGS_MAX, TITLE_MAX } from './youtube-post';

const MARKER_RESERVE = 20; // the sx-<hash> marker tag plus its comma
const CATEGORY_IDS = new Set(['1', '2', '10', '15', '17', '19', '20', '22', '23', '24', '25', '26', '27', '28', '29']);

/** Manifest limits plus YouTube's own rules (title, description characters, tags budget, options, one video). */
export function validateYouTube(manifest: PluginManifest, post: PostContent, media: readonly MediaRef[], nowMs: number): ValidationResult {
  const v: Violation[] = [...validateAgainstManifest(manifest, post, media).violations];
  const videos = media.filter((m) => m.kind === 'video');
  const images = media.filter((m) => m.kind === 'image');
  if (videos.length !== 1) v.push({ rule: 'media.video_required', field: 'media', message: 'a YouTube post is exactly one video', limit: 1, actual: videos.length });
  if (images.length > 1) v.push({ rule: 'media.thumbnail', field: 'media', message: 'at most one image, used as the custom thumbnail', limit: 1, actual: images.length });
  const title = titleOf(post);
  if (!title) v.push({ rule: 'youtube.title_required', field: 'title', message: 'a title is required (the title field, or the first line of the text)' });
  if ([...title].length > TITLE_MAX) v.push({ rule: 'youtube.title_max_length', field: 'title', message: `the title is ${[...title].length} characters; YouTube allows ${TITLE_MAX}`, limit: TITLE_MAX, actual: [...title].length });
  if (/[<>]/.test(title)) v.push({ rule: 'youtube.title_characters', field: 'title', message: 'the title must not contain < or >' });
  if (/[<>]/.test(descriptionOf(post))) v.push({ rule: 'youtube.description_characters', field: 'text', message: 'the description must not contain < or >' });
  const parsed = postOptionsSchema.safeParse(post.settings ?? {});
  if (!parsed.success) {
    for (const i of parsed.error.issues) v.push({ rule: 'youtube.settings', field: `settings.${i.path.join('.')}`, message: i.message });
    return validationResult(v);
  }
  const o = parsed.data;
  const tagLen = tagsLength(tagsOf(post, o));
  if (tagLen > TAGS_MAX - MARKER_RESERVE) {
    v.push({ rule: 'youtube.tags_max_length', field: 'hashtags', message: `tags take ${tagLen} characters; ${TAGS_MAX - MARKER_RESERVE} are available`, limit: TAGS_MAX - MARKER_RESERVE, actual: tagLen });
  }
  if (!CATEGORY_IDS.has(o.categoryId)) v.push({ rule: 'youtube.category', field: 'settings.categoryId', message: `${o.categoryId} is not an assignable YouTube category` });
  if (o.publishAt && !(Date.parse(o.publishAt) > nowMs)) v.push({ rule: 'youtube.publish_at', field: 'settings.publishAt', message: 'publishAt must be in the future' });
  return validationResult(v);
}
