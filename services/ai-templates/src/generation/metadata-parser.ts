import { generatedMetadataSchema, type GeneratedMetadata } from '@sx/contracts';

export type ParseResult = { ok: true; value: GeneratedMetadata } | { ok: false; errors: string[] };

/**
 * Turns a model's reply into validated metadata. Models wrap JSON in prose or code fences and
 * write hashtags as one string ("#a #b") or a list; both are accepted, everything else is reported.
 */
export function parseGeneratedMetadata(raw: string): ParseResult {
  const json = extractJsonObject(raw);
  if (json === undefined) return { ok: false, errors: ['The reply contains no JSON object'] };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    return { ok: false, errors: [`The JSON object does not parse: ${(e as Error).message}`] };
  }
  if (typeof data !== 'object' || data === null) return { ok: false, errors: ['The reply is not a JSON object'] };
  const record = data as Record<string, unknown>;
  const candidate = {
    title: typeof record['title'] === 'string' ? record['title'].trim() : record['title'],
    caption: typeof record['caption'] === 'string' ? record['caption'].trim() : record['caption'],
    hashtags: normaliseHashtags(record['hashtags']),
  };
  const parsed = generatedMetadataSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || 'reply'}: ${i.message}`) };
  }
  return { ok: true, value: parsed.data };
}

function normaliseHashtags(value: unknown): unknown {
  const list = typeof value === 'string' ? value.split(/[\s,]+/) : value;
  if (!Array.isArray(list)) return value;
  const tags = list
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (t.startsWith('#') ? t : `#${t}`));
  return [...new Set(tags)];
}

/** The first balanced `{...}` in the text, skipping braces inside JSON strings. */
function extractJsonObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}
