import { composeText, countGraphemes, countText, utf8Bytes, xWeightedLength } from './text';

describe('text counting', () => {
  it('counts graphemes, so a family emoji is one character', () => {
    expect(countGraphemes('👨‍👩‍👧‍👦')).toBe(1);
    expect(countGraphemes('héllo')).toBe(5);
    expect(countText('e\u0301', 'graphemes')).toBe(1);
    expect(countText('e\u0301', 'code_points')).toBe(2);
  });

  it('weighs X text: Latin 1, CJK 2, emoji 2, any URL 23', () => {
    expect(xWeightedLength('a'.repeat(280))).toBe(280);
    expect(xWeightedLength('日本')).toBe(4);
    expect(xWeightedLength('😀')).toBe(2);
    expect(xWeightedLength('👨‍👩‍👧')).toBe(2);
    expect(xWeightedLength('see https://example.com/a/very/long/path?with=query')).toBe(4 + 23);
  });

  it('counts UTF-8 bytes', () => {
    expect(utf8Bytes('é')).toBe(2);
    expect(countText('😀', 'bytes')).toBe(4);
  });

  it('appends hashtags not already in the text', () => {
    expect(composeText('hello #a', ['a', '#b'])).toBe('hello #a\n\n#b');
    expect(composeText('hi', [])).toBe('hi');
  });
});
