/**
 * Entry of the consumer child process: runs one system's no-op consumer at a time, on request, and
 * streams back what it consumed (batched, every 20 ms), so consuming never competes with the system under
 * test for the benchmark process's event loop. The process lives for the whole benchmark, so the runs
 * after the warm-up measure warm code, as a long-running service would be.
 */
import type { ConsumedRecord, FromChild, ToChild } from './consumer-protocol';
import { startConsumer, type Stop } from './consumers';

const send = (m: FromChild) => process.send?.(m);
let pending: ConsumedRecord[] = [];
let stop: Stop | undefined;

const flush = () => {
  if (pending.length === 0) return;
  send({ type: 'records', items: pending });
  pending = [];
};
setInterval(flush, 20);

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
  const stopping = stop ?? (() => Promise.resolve());
  stop = undefined;
  void stopping().finally(() => {
    flush();
    send({ type: 'stopped' });
  });
});
process.on('disconnect', () => process.exit(0));
