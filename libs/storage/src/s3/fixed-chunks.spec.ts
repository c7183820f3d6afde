import { Readable } from 'node:stream';
import { fixedChunks, readAtMost } from './fixed-chunks';

const source = (...pieces: string[]): Readable => Readable.from(pieces.map((p) => Buffer.from(p)));

async function all(it: AsyncIterable<Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const b of it) out.push(b.toString());
  return out;
}

describe('fixedChunks', () => {
  it('re-cuts uneven pieces into exact sizes with a shorter tail', async () => {
    expect(await all(fixedChunks(source('ab', 'cdefg', 'h', 'ijklmnop'), 3))).toEqual([
      'abc',
      'def',
      'ghi',
      'jkl',
      'mno',
      'p',
    ]);
  });

  it('yields nothing for an empty stream and no empty tail on an exact multiple', async () => {
    expect(await all(fixedChunks(source(), 4))).toEqual([]);
    expect(await all(fixedChunks(source('abcd', 'efgh'), 4))).toEqual(['abcd', 'efgh']);
  });
});

describe('readAtMost', () => {
  it('returns the bytes up to the limit and fails past it', async () => {
    expect((await readAtMost(source('abc', 'de'), 5, () => new Error('too big'))).toString()).toBe('abcde');
    await expect(readAtMost(source('abc', 'def'), 5, () => new Error('too big'))).rejects.toThrow('too big');
  });
});
