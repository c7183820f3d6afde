import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatProgressBarHarness } from '@angular/material/progress-bar/testing';
import { Account, AccountHealth, PluginsApi } from '../../core/api/plugins.api';
import { AuthStore } from '../../core/auth/auth.store';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { AccountsPage } from './accounts.page';

const T0 = Date.UTC(2026, 2, 1, 10);
const account = (id: string, displayName: string): Account => ({ id, pluginId: 'echo', platform: 'echo', displayName, status: 'connected' });

describe('AccountsPage', () => {
  it('shows token health with the rate-limit budget the check returned, and none when the plugin has no limits', async () => {
    const health = jest.fn(async (id: string): Promise<AccountHealth> => ({
      status: 'ok',
      checkedAt: new Date(T0).toISOString(),
      rateLimit: id === 'a1' ? { remaining: 2, capacity: 8, resetsAt: new Date(T0 + 60_000).toISOString(), source: 'headers' } : undefined,
    }));
    TestBed.configureTestingModule({
      imports: [AccountsPage],
      providers: [
        ...pageTestProviders(new FakeTime(T0)),
        { provide: PluginsApi, useValue: { plugins: jest.fn(async () => []), accounts: jest.fn(async () => [account('a1', 'Alice'), account('a2', 'Bob')]), health } },
        { provide: AuthStore, useValue: { canEdit: () => false } },
      ],
    });
    const fixture = TestBed.createComponent(AccountsPage);
    await fixture.whenStable();
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('sx-rate-limit-budget')).toBeNull();

    await (await loader.getHarness(MatButtonHarness.with({ selector: '[aria-label="Check Alice"]' }))).click();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[aria-label="Check Bob"]' }))).click();
    await fixture.whenStable();
    expect(health).toHaveBeenCalledTimes(2);
    const bars = await loader.getAllHarnesses(MatProgressBarHarness.with({ ancestor: 'sx-rate-limit-budget' }));
    expect(bars.length).toBe(1);
    expect(await bars[0].getValue()).toBe(25);
    expect(el.querySelector('[data-testid="budget-text"]')?.textContent).toBe('2 / 8 left');
    expect(el.textContent).toContain('ok');
  });
});
