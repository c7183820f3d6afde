import type { MediaRef, PostContent, ValidationResult, Violation } from './content';
import { validationResult } from './content';
import type { Capability, MediaKindLimits, PluginManifest } from './manifest';
import { composeText, countText } from './text';

/**
 * Checks a post against everything the manifest declares (text length under the platform's counting
 * rule, hashtags, media count/kinds/sizes/durations, alt text, threads) and lists every violation.
 * Plugins call this from `validate` and add platform-specific rules.
 */
export function validateAgainstManifest(
  manifest: PluginManifest,
  post: PostContent,
  media: readonly MediaRef[],
): ValidationResult {
  const v: Violation[] = [];
  const has = (c: Capability) => manifest.capabilities.includes(c);
  const { text } = manifest;
  const full = composeText(post.text, post.hashtags);
  const len = countText(full, text.counting, text.urlWeight);
  if (len > text.maxLength) {
    v.push({
      rule: 'text.max_length',
      field: 'text',
      message: `text is ${len} ${text.counting} long; the limit is ${text.maxLength}`,
      limit: text.maxLength,
      actual: len,
    });
  }
  if (text.required && !full.trim() && media.length === 0) {
    v.push({ rule: 'text.required', field: 'text', message: 'text is required' });
  }
  if (text.maxHashtags !== undefined && post.hashtags.length > text.maxHashtags) {
    v.push({
      rule: 'text.max_hashtags',
      field: 'hashtags',
      message: `${post.hashtags.length} hashtags; the limit is ${text.maxHashtags}`,
      limit: text.maxHashtags,
      actual: post.hashtags.length,
    });
  }
  if (post.thread?.length) {
    if (!has('thread')) v.push({ rule: 'thread.unsupported', field: 'thread', message: 'this platform takes no threads' });
    post.thread.forEach((t, i) => {
      const n = countText(t, text.counting, text.urlWeight);
      if (n > text.maxLength) {
        v.push({
          rule: 'thread.max_length',
          field: `thread.${i}`,
          message: `thread item ${i + 1} is ${n} long; the limit is ${text.maxLength}`,
          limit: text.maxLength,
          actual: n,
        });
      }
    });
  }
  if (post.firstComment && !has('first_comment')) {
    v.push({ rule: 'first_comment.unsupported', field: 'firstComment', message: 'this platform takes no first comment' });
  }
  v.push(...mediaViolations(manifest, media));
  return validationResult(v);
}

function mediaViolations(manifest: PluginManifest, media: readonly MediaRef[]): Violation[] {
  const v: Violation[] = [];
  const m = manifest.media;
  if (media.length > m.maxItems) {
    v.push({
      rule: 'media.max_items',
      field: 'media',
      message: `${media.length} media items; the limit is ${m.maxItems}`,
      limit: m.maxItems,
      actual: media.length,
    });
  }
  const kinds = new Set(media.map((x) => x.kind));
  if (!m.mixed && kinds.size > 1) {
    v.push({ rule: 'media.mixed', field: 'media', message: `cannot mix ${[...kinds].join(' and ')} in one post` });
  }
  for (const kind of ['video', 'gif'] as const) {
    const limits = m[kind];
    const count = media.filter((x) => x.kind === kind).length;
    if (limits && count > limits.maxItems) {
      v.push({
        rule: `media.${kind}.max_items`,
        field: 'media',
        message: `${count} ${kind} items; the limit is ${limits.maxItems}`,
        limit: limits.maxItems,
        actual: count,
      });
    }
  }
  media.forEach((item, i) => {
    const limits: MediaKindLimits | undefined = m[item.kind];
    const field = `media.${i}`;
    if (!limits || !manifest.capabilities.includes(item.kind)) {
      v.push({ rule: `media.${item.kind}.unsupported`, field, message: `${item.kind} is not supported` });
      return;
    }
    v.push(...itemViolations(item, limits, field));
    if (item.altText && m.altTextMaxLength && [...item.altText].length > m.altTextMaxLength) {
      v.push({
        rule: 'media.alt_text.max_length',
        field,
        message: `alt text is longer than ${m.altTextMaxLength}`,
        limit: m.altTextMaxLength,
        actual: [...item.altText].length,
      });
    }
  });
  return v;
}

function itemViolations(item: MediaRef, l: MediaKindLimits, field: string): Violation[] {
  const v: Violation[] = [];
  const k = item.kind;
  const push = (rule: string, message: string, limit: number | string, actual: number | string) =>
    v.push({ rule: `media.${k}.${rule}`, field, message, limit, actual });
  if (!l.mimeTypes.includes(item.mimeType)) {
    push('mime_type', `${item.mimeType} is not accepted (${l.mimeTypes.join(', ')})`, l.mimeTypes.join(','), item.mimeType);
  }
  if (item.sizeBytes > l.maxBytes) push('max_bytes', `${item.sizeBytes} bytes; the limit is ${l.maxBytes}`, l.maxBytes, item.sizeBytes);
  if (l.maxWidth && item.width && item.width > l.maxWidth) push('max_width', `width ${item.width} > ${l.maxWidth}`, l.maxWidth, item.width);
  if (l.maxHeight && item.height && item.height > l.maxHeight) {
    push('max_height', `height ${item.height} > ${l.maxHeight}`, l.maxHeight, item.height);
  }
  if (l.maxPixels && item.width && item.height && item.width * item.height > l.maxPixels) {
    push('max_pixels', `${item.width * item.height} pixels > ${l.maxPixels}`, l.maxPixels, item.width * item.height);
  }
  if (l.maxDurationS !== undefined && item.durationS !== undefined && item.durationS > l.maxDurationS) {
    push('max_duration', `${item.durationS} s; the limit is ${l.maxDurationS} s`, l.maxDurationS, item.durationS);
  }
  if (l.minDurationS !== undefined && item.durationS !== undefined && item.durationS < l.minDurationS) {
    push('min_duration', `${item.durationS} s; the minimum is ${l.minDurationS} s`, l.minDurationS, item.durationS);
  }
  return v;
}
