import { composeText, countText, parseHashtags } from './text-count';

describe('platform text counting', () => {
  it('counts X text with twitter-text weights: URLs 23, CJK and emoji 2', () => {
    expect(countText('hello', 'x_weighted')).toBe(5);
    expect(countText('visit example.com now', 'x_weighted')).toBe(6 + 23 + 4);
    expect(countText('see https://example.com/a/very/long/path/that/is/long', 'x_weighted')).toBe(4 + 23);
    expect(countText('日本', 'x_weighted')).toBe(4);
    expect(countText('👍🏽', 'x_weighted')).toBe(2);
    expect(countText('👨‍👩‍👧', 'x_weighted')).toBe(2);
  });

  it('counts graphemes for Bluesky (an emoji family is one)', () => {
    expect(countText('👨‍👩‍👧 hi', 'graphemes')).toBe(4);
    expect(countText('é', 'graphemes')).toBe(1);
  });

  it('counts UTF-8 bytes as the publisher does (no normalisation)', () => {
    expect(countText('e\u0301', 'bytes')).toBe(3);
    expect(countText('é', 'bytes')).toBe(2);
    expect(countText('日', 'bytes')).toBe(3);
    expect(countText('😀', 'code_points')).toBe(1);
    expect(countText('😀', 'utf16')).toBe(2);
  });

  it('parses hashtags from free input and composes caption + tags', () => {
    expect(parseHashtags('#gaming, clips  ##fps bad-tag #über')).toEqual(['#gaming', '#clips', '#fps', '#über']);
    expect(composeText(' Great run ', ['#a', 'b'])).toBe('Great run\n\n#a #b');
    expect(composeText('', [])).toBe('');
  });
});
