import { SchedulerPreviewRecurrence, SchedulerReschedulePost, SchedulerSchedulePost } from './commands/scheduler.commands';
import { instantSchema, userTimeSchema, utcOffsetInRange } from './common';

const IMPOSSIBLE = ['2031-01-01T00:00:00+99:99', '2031-01-01T00:00:00+25:00', '2031-01-01T00:00:00-24:00', '2031-01-01T00:00:00+14:01', '2031-01-01T09:00+0560'];

describe('UTC offsets are limited to ±14:00 in the wire contract', () => {
  it('accepts real offsets, Z and wall times', () => {
    for (const v of ['2031-01-01T00:00:00+14:00', '2031-01-01T00:00:00-12:00', '2031-01-01T00:00:00.123+05:45', '2031-01-01T00:00:00Z', '2031-01-01T09:30']) {
      expect(utcOffsetInRange(v)).toBe(true);
      expect(userTimeSchema.safeParse(v).success).toBe(true);
    }
    expect(instantSchema.safeParse('2031-01-01T00:00:00+14:00').success).toBe(true);
  });

  it.each(IMPOSSIBLE)('refuses %s on schedule, preview and reschedule', (at) => {
    expect(userTimeSchema.safeParse(at).success).toBe(false);
    expect(instantSchema.safeParse(at).success).toBe(false);
    const post = { text: 'x', targets: [{ accountId: 'a', platform: 'webhook' }] };
    expect(SchedulerReschedulePost.request.safeParse({ id: 'p1', at, zone: 'UTC' }).success).toBe(false);
    expect(SchedulerReschedulePost.request.safeParse({ id: 'p1', at: '2031-01-01T00:00:00+14:00', zone: 'UTC' }).success).toBe(true);
    expect(SchedulerSchedulePost.request.safeParse({ post, when: { mode: 'at', at }, zone: 'UTC' }).success).toBe(false);
    expect(SchedulerPreviewRecurrence.request.safeParse({ recurrence: { kind: 'once', at }, zone: 'UTC' }).success).toBe(false);
  });
});
