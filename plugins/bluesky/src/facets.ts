// Rich-text facets for app.bsky.feed.post: links, mentions and hashtags with UTF-8 byte offsets
// (the server does not detect them; indices are byte positions, not UTF-16 or graphemes).
const LINK_RE = /https?:\/\/[^\s<>"]+[^\s<>".,:;!?)\]'}]/gu;
const MENTION_RE = /(^|[\s(])@([a-zA-Z0-9][a-zA-Z0-9.-]*\.[a-zA-Z][a-zA-Z0-9-]*)/gu;
const TAG_RE = /(^|\s)#([^\s#.,:;!?()[\]{}'"]{1,64})/gu;

export type FacetFeature =
  | { $type: 'app.bsky.richtext.facet#link'; uri: string }
  | { $type: 'app.bsky.richtext.facet#mention'; did: string }
  | { $type: 'app.bsky.richtext.facet#tag'; tag: string };

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: FacetFeature[];
}

export interface FacetCandidates {
  links: Array<{ start: number; end: number; uri: string }>;
  mentions: Array<{ start: number; end: number; handle: string }>;
  tags: Array<{ start: number; end: number; tag: string }>;
}

const bytes = (text: string, upTo: number) => Buffer.byteLength(text.slice(0, upTo), 'utf8');

/** Finds links, @handle.domain mentions and #tags, with byte ranges over the UTF-8 text. */
export function detectFacets(text: string): FacetCandidates {
  const out: FacetCandidates = { links: [], mentions: [], tags: [] };
  for (const m of text.matchAll(LINK_RE)) {
    const i = m.index ?? 0;
    out.links.push({ start: bytes(text, i), end: bytes(text, i + m[0].length), uri: m[0] });
  }
  for (const m of text.matchAll(MENTION_RE)) {
    const i = (m.index ?? 0) + m[1].length;
    out.mentions.push({ start: bytes(text, i), end: bytes(text, i + 1 + m[2].length), handle: m[2].toLowerCase() });
  }
  for (const m of text.matchAll(TAG_RE)) {
    const i = (m.index ?? 0) + m[1].length;
    const inLink = out.links.some((l) => bytes(text, i) >= l.start && bytes(text, i) < l.end);
    if (!inLink && !/^\d+$/.test(m[2])) out.tags.push({ start: bytes(text, i), end: bytes(text, i + 1 + m[2].length), tag: m[2] });
  }
  return out;
}

/** Builds the facets; mentions whose handle does not resolve to a DID stay plain text. */
export async function buildFacets(text: string, resolve: (handle: string) => Promise<string | undefined>): Promise<Facet[]> {
  const c = detectFacets(text);
  const facets: Facet[] = c.links.map((l) => ({ index: { byteStart: l.start, byteEnd: l.end }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: l.uri }] }));
  for (const m of c.mentions) {
    const did = await resolve(m.handle);
    if (did) facets.push({ index: { byteStart: m.start, byteEnd: m.end }, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] });
  }
  for (const t of c.tags) facets.push({ index: { byteStart: t.start, byteEnd: t.end }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: t.tag }] });
  return facets.sort((a, b) => a.index.byteStart - b.index.byteStart);
}
