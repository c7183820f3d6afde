import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { LogRing, scrubSecrets } from './log-ring';
import { runWithCorrelation } from './correlation';

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

describe('LogRing', () => {
  it('keeps what the services log, newest last, with level, service and correlation id; secret fields never kept', () => {
    const ring = new LogRing(10);
    const log = createLogger('publisher', 'info', sink(), ring);
    runWithCorrelation('corr-1', () => log.warn({ accessToken: 'tok-123456789', accountId: 'a1' }, 'rate limited'));
    log.error({ err: new Error('boom') }, 'publish failed');
    log.debug('not at this level');
    const lines = ring.read();
    expect(lines.map((l) => [l.level, l.service, l.msg])).toEqual([
      ['warn', 'publisher', 'rate limited'],
      ['error', 'publisher', 'publish failed'],
    ]);
    expect(lines[0].correlationId).toBe('corr-1');
    expect(lines[1].err).toBe('Error: boom');
    expect(JSON.stringify(lines)).not.toContain('tok-123456789');
  });

  it('is bounded and filters by cursor, level, service and correlation id', () => {
    const ring = new LogRing(3);
    const a = createLogger('scheduler', 'info', sink(), ring);
    const b = createLogger('pipeline', 'info', sink(), ring);
    for (let i = 1; i <= 5; i++) (i % 2 ? a : b).info(`line ${i}`);
    expect(ring.read().map((l) => l.msg)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(ring.read({ afterSeq: 4 }).map((l) => l.msg)).toEqual(['line 5']);
    expect(ring.read({ service: 'pipeline' }).map((l) => l.msg)).toEqual(['line 4']);
    expect(ring.read({ minLevel: 'warn' })).toEqual([]);
    expect(ring.read({ limit: 1 }).map((l) => l.msg)).toEqual(['line 5']);
    expect(ring.lastSeq).toBe(5);
  });

  it('masks secrets written into free text', () => {
    const text = scrubSecrets(
      'GET https://x.test/cb?code=abc123&state=s&access_token=zzz Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x password=hunter22 https://u:pw@host/',
    );
    for (const secret of ['abc123', 'zzz', 'eyJhbGciOiJIUzI1NiJ9', 'hunter22', ':pw@']) expect(text).not.toContain(secret);
    expect(text).toContain('state=s');
  });
});
