import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatExpansionPanelHarness } from '@angular/material/expansion/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { ScheduledTask, TasksApi } from '../../core/api/tasks.api';
import { AuthStore } from '../../core/auth/auth.store';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { RecurringPage } from './recurring.page';
import { describeRecurrence } from './describe-recurrence';

const task = (id: string, status: ScheduledTask['status'], taskType: ScheduledTask['taskType']): ScheduledTask => ({
  id, name: `Task ${id}`, taskType, status, zone: 'UTC', recurrence: { type: 'weekly', time: '09:00', weekdays: [1, 5] },
  nextRunAt: '2026-06-05T09:00:00Z', lastRunAt: null, executionCount: 3, payload: {}, createdAt: '2026-01-01T00:00:00Z',
});

describe('RecurringPage', () => {
  it('counts schedules (not publish jobs), filters by status and pauses a task', async () => {
    const pause = jest.fn(async (id: string) => ({ ...task(id, 'paused', 'run_pipeline') }));
    const api = {
      list: jest.fn(async () => ({ items: [task('a', 'pending', 'run_pipeline'), task('b', 'paused', 'publish_post')], nextCursor: null })),
      stats: jest.fn(async () => ({ total: 99, pending: 99, running: 0, completed: 0, failed: 0, paused: 0 })),
      pause,
      executions: jest.fn(async () => ({ items: [{ id: 'x1', taskId: 'a', startedAt: '2026-06-01T09:00:00Z', status: 'success' }], nextCursor: null })),
    };
    TestBed.configureTestingModule({
      imports: [RecurringPage],
      providers: [...pageTestProviders(new FakeTime(0)), { provide: TasksApi, useValue: api }, { provide: AuthStore, useValue: { canEdit: () => true } }],
    });
    const fixture = TestBed.createComponent(RecurringPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const loader = TestbedHarnessEnvironment.loader(fixture);
    expect([...el.querySelectorAll('[data-testid="stat-value"]')].map((n) => n.textContent?.trim())).toEqual(['2', '1', '1', '0']);
    expect(api.stats).not.toHaveBeenCalled();
    expect((await loader.getAllHarnesses(MatExpansionPanelHarness)).length).toBe(2);

    const [status] = await loader.getAllHarnesses(MatSelectHarness);
    await status.clickOptions({ text: 'paused' });
    const panels = await loader.getAllHarnesses(MatExpansionPanelHarness);
    expect(panels.length).toBe(1);
    expect(await panels[0].getTitle()).toBe('Task b');

    await status.clickOptions({ text: 'All' });
    const first = (await loader.getAllHarnesses(MatExpansionPanelHarness))[0];
    await first.expand();
    await (await loader.getHarness(MatButtonHarness.with({ text: /Pause/ }))).click();
    expect(pause).toHaveBeenCalledWith('a');
    expect(api.executions).toHaveBeenCalledWith('a');
    expect(el.textContent).toContain('success');
  });

  it('describes recurrences in words', () => {
    expect(describeRecurrence({ type: 'weekly', time: '09:00', weekdays: [0, 1, 5] })).toBe('Weekly on Mon, Fri, Sun at 09:00');
    expect(describeRecurrence({ type: 'custom', cron: '0 9 * * 1-5' })).toBe('Cron: 0 9 * * 1-5');
  });
});
