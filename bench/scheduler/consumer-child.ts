/**
 * Entry of the consumer child process: starts one system's no-op consumer on request and streams
 * back what it consumed (batched, every 20 ms), so consuming never competes with the system under test
 * for this process's event loop.
 */
import type { ConsumedRecord, FromChild, ToChild } from './consumer-protocol';
import { startConsumer, type Stop } from './consumers';

const send = (m: FromChild) => process.send?.(m);
let pending: ConsumedRecord[] = [];
let stop: Stop | undefined;

const flusher = setInterval(() => {
  if (pending.length === 0) return;
  send({ type: 'records', items: pending });
  pending = [];
}, 20);

process.on('message', (m: ToChild) => {
  if (m.type === 'start') {
    startConsumer(m.spec, (jobId, dueMs, tag = '') => pending.push([jobId, dueMs, Date.now(), tag])).then(
      (s) => {
        stop = s;
        send({ type: 'ready' });
      },
      (e: unknown) => send({ type: 'failed', error: e instanceof Error ? e.message : String(e) }),
    );
    return;
  }
  void (stop?.() ?? Promise.resolve()).finally(() => {
    clearInterval(flusher);
    if (pending.length > 0) send({ type: 'records', items: pending });
    send({ type: 'stopped' });
    process.disconnect?.();
  });
});
process.on('disconnect', () => process.exit(0));
