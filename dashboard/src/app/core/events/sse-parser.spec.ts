import { SseParser } from './sse-parser';
import { parseDomainEvent } from './event-stream.service';

describe('SseParser', () => {
  it('assembles events split across chunks and keeps the last id', () => {
    const p = new SseParser();
    expect(p.feed('id: 7\nevent: post.published\nda')).toEqual([]);
    const out = p.feed('ta: {"a":1}\n\n');
    expect(out).toEqual([{ id: '7', event: 'post.published', data: '{"a":1}' }]);
  });

  it('ignores heartbeat comments, joins multi-line data and handles CRLF', () => {
    const p = new SseParser();
    const out = p.feed(': ping\r\n\r\ndata: one\r\ndata: two\r\n\r\n');
    expect(out).toEqual([{ id: null, event: 'message', data: 'one\ntwo' }]);
  });

  it('turns an envelope into a domain event and drops junk', () => {
    const env = JSON.stringify({ id: 'e1', subject: 'post.published', version: 1, occurredAt: '2026-01-01T00:00:00Z', workspaceId: 'w', correlationId: 'c', data: { jobId: 'j' } });
    const ev = parseDomainEvent('e1', 'message', env);
    expect(ev?.subject).toBe('post.published');
    expect(ev?.data).toEqual({ jobId: 'j' });
    expect(parseDomainEvent(null, 'message', 'not json')).toBeNull();
    expect(parseDomainEvent(null, 'heartbeat', '{}')).toBeNull();
    expect(parseDomainEvent('9', 'media.ready', '{"data":{"assetId":"a"}}')?.subject).toBe('media.ready');
  });
});
