import { sanitizeFilename } from './ingest.service';

describe('sanitizeFilename', () => {
  it('strips bidirectional controls, so a stored name cannot display reversed (U+202E "right-to-left override")', () => {
    expect(sanitizeFilename('clip\u202E4pm.exe')).toBe('clip4pm.exe');
    expect(sanitizeFilename('\u2066a\u2067b\u2068c\u2069\u202Ad\u202Be\u202Cf\u202Dg\u200Eh\u200Fi\u061Cj.png')).toBe('abcdefghij.png');
  });

  it('keeps real names intact: paths dropped, control characters removed, other scripts and emoji kept', () => {
    expect(sanitizeFilename('C:\\Users\\me\\Видео\\клип 🎮.mp4')).toBe('клип 🎮.mp4');
    expect(sanitizeFilename('a\u0000b\u001fc\u007f.jpg')).toBe('abc.jpg');
    expect(sanitizeFilename('\u202E')).toBe('unnamed');
  });
});
