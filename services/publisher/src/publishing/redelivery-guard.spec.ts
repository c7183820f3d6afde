import type { Logger } from 'pino';
import { systemClock } from '@sx/service-kit';
import type { AttemptRecord } from './attempts.repository';
import type { Outcome } from './outcome-recorder';
import { PublishService, type PublishDeps } from './publish.service';
import type { JobScope } from './dispatch.types';

const scope: JobScope = {
  workspaceId: 'ws-1',
  correlationId: 'c-1',
  causationId: 'e-1',
  job: {
    jobId: '11111111-1111-4111-8111-111111111111', postId: 'p-1', targetId: 't-1', accountId: 'acct-1', platform: 'echo', attempt: 1,
    fencingToken: 3, dueAt: '2026-06-01T12:00:00.000Z', firedAt: '2026-06-01T12:00:00.000Z', content: { text: 'hello', hashtags: [], mediaIds: [], settings: {} },
  },
};

/** The journal row of an attempt whose call started in `owner` and has no outcome yet. */
const inProgress = (owner: string): AttemptRecord => ({
  jobId: scope.job.jobId, attempt: 1, workspaceId: 'ws-1', postId: 'p-1', targetId: 't-1', accountId: 'acct-1', pluginId: 'echo', platform: 'echo',
  fencingToken: 3, idempotencyKey: `sx-${scope.job.jobId}`, status: 'publishing', platformPostId: null, url: null, errorClass: null, message: null,
  retryAt: null, startedAt: new Date(), finishedAt: null, owner,
});

function service(row: AttemptRecord, liveOwners: string[]): { svc: PublishService; recorded: Outcome[] } {
  const recorded: Outcome[] = [];
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;
  const deps = {
    host: { load: async () => undefined },
    attempts: { get: async () => row },
    accounts: { withCredentials: async () => undefined }, // the account is gone: the outcome can only be unknown
    media: { resolve: async () => ({ items: [], cleanup: async () => undefined }) },
    outcomes: {
      record: async (_s: JobScope, o: Outcome) => {
        recorded.push(o);
        return true;
      },
    },
    clock: systemClock,
    logger: quiet,
    self: { id: 'publisher-me', alive: async (owner: string) => liveOwners.includes(owner) },
  } as unknown as PublishDeps;
  return { svc: new PublishService(deps), recorded };
}

describe('a redelivered dispatch whose attempt has no outcome yet', () => {
  it('is dropped while the publisher that started the call is alive (reconciling beside it could publish twice)', async () => {
    const { svc, recorded } = service(inProgress('publisher-other'), ['publisher-other']);
    expect(await svc.process(scope)).toEqual({ ack: true });
    expect(recorded).toEqual([]);
  });

  it('is settled (reconciled, here unknown) once that publisher is dead', async () => {
    const { svc, recorded } = service(inProgress('publisher-dead'), []);
    expect(await svc.process(scope)).toEqual({ ack: true });
    expect(recorded.map((o) => o.status)).toEqual(['unknown']);
  });
});
