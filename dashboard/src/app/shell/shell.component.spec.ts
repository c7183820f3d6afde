import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatNavListHarness } from '@angular/material/list/testing';
import { SystemApi } from '../core/api/system.api';
import { EventStream } from '../core/events/event-stream.service';
import { FakeTime } from '../core/util/testing';
import { pageTestProviders } from '../core/util/testing-providers';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  async function setup(system: Partial<Record<keyof SystemApi, jest.Mock>>) {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [
        ...pageTestProviders(new FakeTime(0)),
        { provide: SystemApi, useValue: system },
        { provide: EventStream, useValue: { start: jest.fn(), stop: jest.fn(), connected: () => true, on: () => ({ subscribe: () => ({ unsubscribe: jest.fn() }) }) } },
      ],
    });
    const fixture = TestBed.createComponent(ShellComponent);
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture) };
  }

  it('lists the eleven sections in the sidebar, in order', async () => {
    const { loader } = await setup({});
    const nav = await loader.getHarness(MatNavListHarness);
    const titles = await Promise.all((await nav.getItems()).map((i) => i.getTitle()));
    expect(titles).toEqual(['Home', 'Media', 'Schedule', 'Calendar', 'Recurring', 'Pipeline', 'AI templates', 'Accounts & plugins', 'Activity', 'Logs', 'Settings']);
  });

  it('keeps operations (run pipeline, run scheduler) off the top bar', async () => {
    const { fixture } = await setup({});
    const text = (fixture.nativeElement as HTMLElement).querySelector('mat-toolbar')?.textContent ?? '';
    expect(text).not.toMatch(/Run pipeline|Run scheduler/);
  });

  it('switches between light and dark theme', async () => {
    const { loader } = await setup({});
    const toggle = await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid="theme-toggle"]' }));
    const before = document.documentElement.classList.contains('sx-dark');
    await toggle.click();
    expect(document.documentElement.classList.contains('sx-dark')).toBe(!before);
    expect(localStorage.getItem('sx.theme')).toBe(before ? 'light' : 'dark');
  });
});
