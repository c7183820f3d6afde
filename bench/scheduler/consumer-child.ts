/**
 * Entry of the consumer child process: runs one system's no-op consumer at a time, on request, records
 * what it consumed here (consume time = this process's Date.now()) and sends the benchmark process a
 * `complete` when every expected job arrived and the summary when stopped. Nothing crosses per message,
 * so measuring costs the system under test nothing. The process lives for the whole benchmark, so the
 * runs after the warm-up measure warm code, as a long-running service would.
 */
import { Collector } from './collector';
import type { FromChild, ToChild } from './consumer-protocol';
import { startConsumer, type Stop } from './consumers';

const send = (m: FromChild) => process.send?.(m);
let stop: Stop | undefined;
let collector: Collector | undefined;
/** Only messages carrying this run tag count; undefined until the benchmark sends it. */
let tag: string | undefined;

const record = (jobId: string, dueMs: number, msgTag = '') => {
  const now = Date.now();
  if (collector && msgTag === tag && collector.record(jobId, dueMs, now)) send({ type: 'complete' });
};

process.on('message', (m: ToChild) => {
  if (m.type === 'start') {
    collector = new Collector(m.expected);
    tag = m.tag;
    startConsumer(m.spec, record).then(
      (s) => {
        stop = s;
        send({ type: 'ready' });
      },
      (e: unknown) => send({ type: 'failed', error: e instanceof Error ? e.message : String(e) }),
    );
    return;
  }
  if (m.type === 'tag') {
    tag = m.tag;
    return;
  }
  const stopping = stop ?? (() => Promise.resolve());
  stop = undefined;
  void stopping().finally(() => {
    send({ type: 'stopped', consumption: collector?.summary() });
    collector = undefined;
  });
});
process.on('disconnect', () => process.exit(0));
