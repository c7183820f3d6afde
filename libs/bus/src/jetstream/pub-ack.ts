import type { Msg } from '@nats-io/nats-core';

export interface PubAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

/**
 * Reads JetStream's answer to a publish: `{stream, seq, duplicate?}` when stored, `{error: {...}}` when
 * refused, or a 503 status when no stream captures the subject. Throws on anything but a stored message.
 */
export function parsePubAck(reply: Msg): PubAck {
  if (reply.headers?.hasError) throw new Error(`publish refused: ${reply.headers.code} ${reply.headers.description || 'no stream for subject'}`);
  let body: unknown;
  try {
    body = reply.json();
  } catch {
    throw new Error('publish answered with a malformed ack');
  }
  const ack = body as { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: { code?: number; description?: string } };
  if (ack.error) throw new Error(`publish refused: ${ack.error.code ?? '?'} ${ack.error.description ?? ''}`.trim());
  if (typeof ack.stream !== 'string' || ack.stream === '' || typeof ack.seq !== 'number') throw new Error('publish answered with an invalid ack');
  return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true };
}
