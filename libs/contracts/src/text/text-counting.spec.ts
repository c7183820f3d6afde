import { countGraphemes, countText, findUrls, utf8Bytes, xWeightedLength } from './text-counting';

describe('text counting rules (the one implementation)', () => {
  it('counts graphemes, so a family emoji is one character', () => {
    expect(countGraphemes('👨‍👩‍👧‍👦')).toBe(1);
    expect(countText('e\u0301', 'graphemes')).toBe(1);
    expect(countText('e\u0301', 'code_points')).toBe(2);
    expect(countText('😀', 'utf16')).toBe(2);
  });

  it('weighs X text: Latin 1, CJK 2, emoji 2, any URL 23 (scheme, www. or bare domain)', () => {
    expect(xWeightedLength('a'.repeat(280))).toBe(280);
    expect(xWeightedLength('日本')).toBe(4);
    expect(xWeightedLength('👍🏽')).toBe(2);
    expect(xWeightedLength('👨‍👩‍👧')).toBe(2);
    expect(xWeightedLength('see https://example.com/a/very/long/path?with=query')).toBe(4 + 23);
    expect(countText('visit example.com now', 'x_weighted')).toBe(6 + 23 + 4);
    expect(xWeightedLength('at www.example.org.')).toBe(3 + 23 + 1);
    expect(countText('a http://x.co/b', 'x_weighted', 11)).toBe(2 + 11);
  });

  it('leaves trailing sentence punctuation out of a URL', () => {
    expect(findUrls('go to https://example.com/page, then (https://a.io/x).')).toEqual(['https://example.com/page', 'https://a.io/x']);
  });

  it('counts UTF-8 bytes without Node APIs', () => {
    expect(utf8Bytes('é')).toBe(2);
    expect(countText('😀', 'bytes')).toBe(4);
  });
});
