import type { Msg, MsgHdrs } from '@nats-io/nats-core';
import { parsePubAck } from './pub-ack';

const reply = (body: string, headers?: Partial<MsgHdrs>): Msg =>
  ({ headers, json: () => JSON.parse(body) as unknown, string: () => body }) as unknown as Msg;

describe('parsePubAck', () => {
  it('reads a stored and a duplicate ack', () => {
    expect(parsePubAck(reply('{"stream":"DISPATCH","seq":7}'))).toEqual({ stream: 'DISPATCH', seq: 7, duplicate: false });
    expect(parsePubAck(reply('{"stream":"DISPATCH","seq":7,"duplicate":true}'))).toEqual({ stream: 'DISPATCH', seq: 7, duplicate: true });
  });

  it('throws on a refusal, a no-stream status, a malformed or an incomplete answer', () => {
    expect(() => parsePubAck(reply('{"error":{"code":503,"description":"stream is full"}}'))).toThrow('publish refused: 503 stream is full');
    expect(() => parsePubAck(reply('', { hasError: true, code: 503, description: 'no responders' }))).toThrow('publish refused: 503 no responders');
    expect(() => parsePubAck(reply('not json'))).toThrow('malformed ack');
    expect(() => parsePubAck(reply('{"seq":1}'))).toThrow('invalid ack');
    expect(() => parsePubAck(reply('{"stream":"S"}'))).toThrow('invalid ack');
  });
});
