import type { CommandDefinition } from '@sx/contracts';
import { SchedulerListJobs, SchedulerReschedulePost, SchedulerSchedulePost, SchedulerUpcoming } from '@sx/contracts';
import type { Principal } from '../../auth/principal';
import type { CommandProxy } from '../../proxy/command-proxy.service';
import { PostsController } from './posts.controller';
import { ScheduleController } from './schedule.controller';
import { queryToRequest } from './scheduler-query';

const principal: Principal = { userId: 'u1', workspaceId: 'w1', role: 'editor', kind: 'user' };

function recordingProxy(): { proxy: CommandProxy; calls: { def: CommandDefinition; request: unknown }[] } {
  const calls: { def: CommandDefinition; request: unknown }[] = [];
  const proxy = { call: async (def: CommandDefinition, _p: Principal, request: unknown) => void calls.push({ def, request }) } as unknown as CommandProxy;
  return { proxy, calls };
}

describe('scheduler routes', () => {
  it('turns query strings into typed requests, NaN for non-numbers so the schema rejects them', () => {
    expect(queryToRequest({ limit: '20', hours: '6', includeDeleted: 'true', state: 'failed' })).toEqual({ limit: 20, hours: 6, includeDeleted: true, state: 'failed' });
    expect(Number.isNaN(queryToRequest({ limit: 'ten' })['limit'])).toBe(true);
    expect(SchedulerUpcoming.request.safeParse(queryToRequest({ hours: 'soon' })).success).toBe(false);
  });

  it('passes the due-time range through as instants, restoring a form-decoded "+" offset', () => {
    const req = queryToRequest({ from: '2026-06-01T00:00:00 02:00', to: '2026-06-30T23:59:59.999Z', limit: '200' });
    expect(req).toEqual({ from: '2026-06-01T00:00:00+02:00', to: '2026-06-30T23:59:59.999Z', limit: 200 });
    expect(SchedulerListJobs.request.safeParse(req).success).toBe(true);
    expect(SchedulerListJobs.request.safeParse(queryToRequest({ from: 'yesterday' })).success).toBe(false);
    expect(SchedulerListJobs.request.safeParse(queryToRequest({ to: '2026-06-30T23:59' })).success).toBe(false);
  });

  it('maps each route to its scheduler command with the path id winning over the body', async () => {
    const { proxy, calls } = recordingProxy();
    const schedule = new ScheduleController(proxy);
    await schedule.scheduled(principal, { limit: '5' });
    await schedule.scheduledPosts(principal, { from: '2026-06-01T00:00:00Z', to: '2026-07-12T23:59:59.999Z' });
    await schedule.reschedule(principal, 'post-1', { id: 'spoofed', at: '2026-12-01T09:00', zone: 'UTC' });
    await new PostsController(proxy).instantPublish(principal, 'post-2', { zone: 'Europe/Berlin', when: { mode: 'at' } });
    expect(calls.map((c) => c.def.subject)).toEqual([SchedulerListJobs.subject, SchedulerListJobs.subject, SchedulerReschedulePost.subject, SchedulerSchedulePost.subject]);
    expect(calls[0].request).toEqual({ limit: 5 });
    expect(calls[1].request).toEqual({ from: '2026-06-01T00:00:00Z', to: '2026-07-12T23:59:59.999Z' });
    expect(calls[2].request).toEqual({ id: 'post-1', at: '2026-12-01T09:00', zone: 'UTC' });
    expect(calls[3].request).toEqual({ zone: 'Europe/Berlin', postId: 'post-2', when: { mode: 'now' } });
  });
});
