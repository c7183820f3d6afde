import { toTask } from './tasks.api';

describe('toTask', () => {
  const view = {
    id: 't1',
    name: 'Hourly ping',
    recurrence: { kind: 'cron' as const, expression: '0 * * * *' },
    zone: 'Europe/Berlin',
    action: { type: 'call_webhook' as const, accountId: 'hook-1' },
    paused: false,
    nextRunAt: '2026-10-30T13:00:00.000Z',
    createdAt: '2026-10-30T11:59:00.000Z',
  };

  it('takes last run and run count from the scheduler view (seed 003 manager)', () => {
    const task = toTask({ ...view, lastRunAt: '2026-10-30T12:00:00.000Z', runCount: 3 });
    expect([task.lastRunAt, task.executionCount, task.status]).toEqual(['2026-10-30T12:00:00.000Z', 3, 'pending']);
  });

  it('shows a task that never ran as such', () => {
    const task = toTask({ ...view, paused: true });
    expect([task.lastRunAt, task.executionCount, task.status]).toEqual([null, 0, 'paused']);
  });
});
