import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { runWithCorrelation } from './correlation';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON with the service name and the current correlation id', () => {
    const { lines, stream } = capture();
    const log = createLogger('scheduler', 'info', stream);
    runWithCorrelation('corr-1', () => log.info('fired'));
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ service: 'scheduler', correlationId: 'corr-1', msg: 'fired', level: 'info' });
  });

  it('never writes secrets', () => {
    const { lines, stream } = capture();
    const log = createLogger('publisher', 'info', stream);
    log.info({ account: { accessToken: 'tok-123', refreshToken: 'ref-456' }, password: 'pw' }, 'connected');
    expect(lines[0]).not.toMatch(/tok-123|ref-456|"pw"/);
    expect(lines[0]).toContain('[redacted]');
  });
});
