import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatProgressBarHarness } from '@angular/material/progress-bar/testing';
import { RateLimitBudget } from '../../core/api/plugins.api';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { RateLimitBudgetComponent } from './rate-limit-budget.component';

const T0 = Date.UTC(2026, 2, 1, 10);

async function render(budget: RateLimitBudget, time = new FakeTime(T0)) {
  TestBed.configureTestingModule({ imports: [RateLimitBudgetComponent], providers: pageTestProviders(time) });
  const fixture = TestBed.createComponent(RateLimitBudgetComponent);
  fixture.componentRef.setInput('budget', budget);
  await fixture.whenStable();
  const bar = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatProgressBarHarness);
  const el = fixture.nativeElement as HTMLElement;
  return { fixture, bar, el };
}

describe('RateLimitBudgetComponent', () => {
  it('shows a full manifest budget with a full bar and no reset countdown', async () => {
    const { bar, el } = await render({ remaining: 5, capacity: 5, resetsAt: null, source: 'manifest' });
    expect(await bar.getValue()).toBe(100);
    expect(await bar.getMode()).toBe('determinate');
    expect(el.querySelector('[data-testid="budget-text"]')?.textContent).toBe('5 / 5 left');
    expect(el.querySelector('[data-testid="countdown"]')).toBeNull();
    expect(el.querySelector('[data-testid="budget-source"]')?.textContent).toContain('manifest');
  });

  it('shows a partly spent budget, when it is full again, and follows a new reading', async () => {
    const time = new FakeTime(T0);
    const { fixture, bar, el } = await render({ remaining: 3, capacity: 5, resetsAt: new Date(T0 + 24_000).toISOString(), source: 'manifest' }, time);
    expect(await bar.getValue()).toBe(60);
    expect(el.textContent).toContain('3 / 5 left');
    expect(el.textContent).toContain('full');
    expect(el.querySelector('[data-testid="countdown"]')?.textContent).toContain('24s');
    expect(el.classList).not.toContain('sx-exhausted');

    fixture.componentRef.setInput('budget', { remaining: 0, capacity: 5, resetsAt: new Date(T0 + 90_000).toISOString(), source: 'headers' });
    await fixture.whenStable();
    expect(await bar.getValue()).toBe(0);
    expect(el.classList).toContain('sx-exhausted');
    expect(el.textContent).toContain('resumes');
    expect(el.querySelector('[data-testid="budget-source"]')?.textContent).toContain('platform reported');
    expect(el.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Rate limit: 0 of 5 requests left');
  });
});
