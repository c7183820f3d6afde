import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { AiTemplatesApi } from '../../core/api/ai-templates.api';
import { MediaApi } from '../../core/api/media.api';
import { PluginManifest, PluginsApi } from '../../core/api/plugins.api';
import { PostsApi } from '../../core/api/posts.api';
import { Notify } from '../../core/util/notify.service';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { ComposerDialog } from './composer.dialog';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const X: PluginManifest = {
  id: 'x', name: 'X', version: '1.0.0', platform: 'x', status: 'ready', capabilities: ['text'], auth: { kind: 'oauth2_pkce' },
  text: { maxLength: 280, counting: 'x_weighted', urlWeight: 23 }, media: { maxItems: 4 },
};
const HOOK: PluginManifest = {
  id: 'webhook', name: 'Webhook', version: '1.0.0', platform: 'webhook', status: 'ready', capabilities: ['text'],
  auth: { kind: 'webhook_url' }, text: { maxLength: 100000, counting: 'code_points' }, media: { maxItems: 0 },
};

describe('ComposerDialog', () => {
  let create: jest.Mock;
  let close: jest.Mock;
  let validate: jest.Mock;

  async function setup() {
    localStorage.setItem('sx.prefs', JSON.stringify({ zone: 'Europe/Berlin' }));
    create = jest.fn(async (body: { dueAt: string }) => ({ id: 'p1', dueAt: body.dueAt }));
    close = jest.fn();
    validate = jest.fn(async (req: { post: { targets: { accountId: string; platform: string }[] } }) => ({
      ok: true,
      targets: req.post.targets.map((t) => ({ accountId: t.accountId, platform: t.platform, pluginId: t.platform, ok: true, violations: [] })),
    }));
    TestBed.configureTestingModule({
      imports: [ComposerDialog],
      providers: [
        ...pageTestProviders(new FakeTime(NOW)),
        { provide: MAT_DIALOG_DATA, useValue: {} },
        { provide: MatDialogRef, useValue: { close } },
        {
          provide: PluginsApi,
          useValue: {
            accounts: async () => [
              { id: 'acc-x', pluginId: 'x', platform: 'x', displayName: 'My X', status: 'connected' },
              { id: 'acc-h', pluginId: 'webhook', platform: 'webhook', displayName: 'Hook', status: 'connected' },
            ],
            plugins: async () => [X, HOOK],
          },
        },
        { provide: MediaApi, useValue: { list: async () => ({ items: [], nextCursor: null }) } },
        { provide: PostsApi, useValue: { create, validate, nextSlot: async () => '2026-06-01T14:00:00Z' } },
        { provide: AiTemplatesApi, useValue: {} },
      ],
    });
    const fixture = TestBed.createComponent(ComposerDialog);
    await fixture.whenStable();
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture), el: fixture.nativeElement as HTMLElement };
  }

  it('defaults the time to the next free slot, shown in the user zone', async () => {
    const { loader } = await setup();
    const date = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-date"]' }));
    const time = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-time"]' }));
    expect(await date.getValue()).toBe('2026-06-01');
    expect(await time.getValue()).toBe('16:00');
  });

  it('counts X characters with its weighting and blocks submit when over the limit', async () => {
    const { loader, el } = await setup();
    await (await loader.getHarness(MatCheckboxHarness.with({ label: /My X/ }))).check();
    const caption = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-caption"]' }));
    await caption.setValue('日本'.repeat(100));
    expect(el.querySelector('[data-testid="counter-x"]')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('400 / 280 (x weighted)');
    const submit = await loader.getHarness(MatButtonHarness.with({ text: 'Schedule' }));
    expect(await submit.isDisabled()).toBe(true);
    expect(el.querySelector('[data-testid="composer-errors"]')?.textContent).toContain('X: Text is 120 over the 280 limit');
    await caption.setValue('short and sweet');
    expect(await submit.isDisabled()).toBe(false);
  });

  it('submits the post as a UTC instant plus the IANA zone', async () => {
    const { loader } = await setup();
    await (await loader.getHarness(MatCheckboxHarness.with({ label: /Hook/ }))).check();
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-caption"]' }))).setValue('Hello');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-date"]' }))).setValue('2026-06-02');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-time"]' }))).setValue('09:30');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Schedule' }))).click();
    expect(create).toHaveBeenCalledWith(
      expect.objectContaining({ text: 'Hello', targets: [{ accountId: 'acc-h', platform: 'webhook' }], dueAt: '2026-06-02T07:30:00Z', zone: 'Europe/Berlin', recurrence: null }),
    );
    expect(close).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1' }));
  });

  it('previews the next runs of a weekly recurrence', async () => {
    const { loader, el } = await setup();
    await (await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="recurrence-type"]' }))).clickOptions({ text: 'Weekly' });
    const items = el.querySelectorAll('[data-testid="recurrence-preview"] li');
    expect(items.length).toBe(5);
    expect(items[0].textContent).toContain('Mon');
  });

  it("states a weekly rule's first run, not the start time, in the footer and the confirmation", async () => {
    const { loader, el, fixture } = await setup();
    const notify = TestBed.inject(Notify);
    const ok = jest.spyOn(notify, 'ok');
    await (await loader.getHarness(MatCheckboxHarness.with({ label: /Hook/ }))).check();
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-caption"]' }))).setValue('Weekly');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-date"]' }))).setValue('2026-06-04');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-time"]' }))).setValue('20:00');
    await (await loader.getHarness(MatSelectHarness.with({ selector: '[data-testid="recurrence-type"]' }))).clickOptions({ text: 'Weekly' });
    const editor = fixture.debugElement.query((d) => d.name === 'sx-recurrence-editor').componentInstance as { value: { set(v: unknown): void } };
    editor.value.set({ type: 'weekly', time: '09:30', weekdays: [5] });
    fixture.detectChanges();
    await fixture.whenStable();
    const first = el.querySelector('[data-testid="recurrence-preview"] li')?.textContent ?? '';
    expect(first).toContain('Fri 5 Jun 2026, 09:30');
    expect(el.querySelector('mat-dialog-actions')?.textContent).toContain('First post Fri 5 Jun 2026, 09:30');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Schedule' }))).click();
    expect(ok).toHaveBeenCalledWith(expect.stringContaining('Fri 5 Jun 2026, 09:30'));
  });

  it('refuses a time in the past', async () => {
    const { loader, el } = await setup();
    await (await loader.getHarness(MatCheckboxHarness.with({ label: /Hook/ }))).check();
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-caption"]' }))).setValue('Hi');
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-date"]' }))).setValue('2026-05-01');
    expect(el.querySelector('[data-testid="composer-errors"]')?.textContent).toContain('The time is in the past');
    expect(await (await loader.getHarness(MatButtonHarness.with({ text: 'Schedule' }))).isDisabled()).toBe(true);
  });

  it("shows the server's pre-flight answer per account and holds Schedule while the server would refuse", async () => {
    const { loader, el, fixture } = await setup();
    validate.mockImplementation(async () => ({
      ok: false,
      targets: [{ accountId: 'acc-h', platform: 'webhook', pluginId: 'webhook', ok: false, violations: [{ rule: 'account.connected', message: 'The account Hook is disconnected' }] }],
    }));
    jest.useFakeTimers();
    try {
      await (await loader.getHarness(MatCheckboxHarness.with({ label: /Hook/ }))).check();
      await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="composer-caption"]' }))).setValue('Hello');
      jest.advanceTimersByTime(700);
    } finally {
      jest.useRealTimers();
    }
    await fixture.whenStable();
    await fixture.whenStable();
    // Typing sent one check after the pause, not one per key.
    expect(validate).toHaveBeenCalledTimes(1);
    expect(validate).toHaveBeenCalledWith(expect.objectContaining({ post: expect.objectContaining({ text: 'Hello', targets: [{ accountId: 'acc-h', platform: 'webhook' }] }), zone: 'Europe/Berlin' }));
    expect(el.querySelector('[data-testid="preflight-acc-h"]')?.textContent).toContain('The account Hook is disconnected');
    expect(await (await loader.getHarness(MatButtonHarness.with({ text: 'Schedule' }))).isDisabled()).toBe(true);
  });
});
