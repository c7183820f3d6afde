import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { AiTemplate, AiTemplatesApi } from '../../core/api/ai-templates.api';
import { AuthStore } from '../../core/auth/auth.store';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { AiTemplatesPage } from './ai-templates.page';

const T = (id: string, isActive: boolean): AiTemplate => ({
  id, name: `Template ${id}`, promptText: `Prompt ${id} {filename}`, isActive, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
});

describe('AiTemplatesPage', () => {
  async function setup(api: Partial<Record<keyof AiTemplatesApi, jest.Mock>>) {
    TestBed.configureTestingModule({
      imports: [AiTemplatesPage],
      providers: [
        ...pageTestProviders(new FakeTime(0)),
        { provide: AiTemplatesApi, useValue: api },
        { provide: AuthStore, useValue: { canEdit: () => true } },
      ],
    });
    const fixture = TestBed.createComponent(AiTemplatesPage);
    await fixture.whenStable();
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture), root: TestbedHarnessEnvironment.documentRootLoader(fixture), el: fixture.nativeElement as HTMLElement };
  }

  it('opens on the active template, saves edits and activates another', async () => {
    const update = jest.fn(async (id: string, d: { name: string; promptText: string }) => ({ ...T(id, false), ...d }));
    const activate = jest.fn(async (id: string) => T(id, true));
    const { loader, el } = await setup({ list: jest.fn(async () => [T('a', false), T('b', true)]), update, activate });
    const name = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="template-name"]' }));
    expect(await name.getValue()).toBe('Template b');
    expect(el.querySelectorAll('[data-testid="active-badge"]').length).toBe(1);
    const save = await loader.getHarness(MatButtonHarness.with({ text: 'Save' }));
    expect(await save.isDisabled()).toBe(true);
    await name.setValue('Renamed');
    await save.click();
    expect(update).toHaveBeenCalledWith('b', { name: 'Renamed', promptText: 'Prompt b {filename}' });
  });

  it('tests a prompt and shows title, caption and hashtags', async () => {
    const test = jest.fn(async () => ({ title: 'Clutch!', caption: 'What a round', hashtags: ['#gaming', '#fps'] }));
    const { loader, root } = await setup({ list: jest.fn(async () => [T('a', true)]), test });
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Test prompt' }))).click();
    await (await root.getHarness(MatButtonHarness.with({ text: 'Generate' }))).click();
    expect(test).toHaveBeenCalledWith({ templateId: 'a', promptText: undefined, filename: 'epic_clutch_win.mp4', gameContext: 'gaming' });
    const result = document.querySelector('[data-testid="test-result"]')?.textContent ?? '';
    expect(result).toContain('Clutch!');
    expect(result).toContain('#gaming #fps');
  });

  it('starts a new template from the seed default prompt when there are none', async () => {
    const { loader } = await setup({ list: jest.fn(async () => []) });
    const prompt = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="template-prompt"]' }));
    expect(await prompt.getValue()).toContain('Given a video filename: {filename}');
  });
});
