import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MatInputHarness } from '@angular/material/input/testing';
import { ApiError } from '../../core/api/api-error';
import { PluginManifest, PluginsApi } from '../../core/api/plugins.api';
import { FakeTime } from '../../core/util/testing';
import { pageTestProviders } from '../../core/util/testing-providers';
import { ConnectAccountDialog } from './connect-account.dialog';

const WEBHOOK: PluginManifest = {
  id: 'webhook', name: 'Webhook', version: '1.0.0', platform: 'webhook', status: 'ready', capabilities: ['text'],
  auth: { kind: 'webhook_url' }, text: { maxLength: 100000, counting: 'code_points' }, media: { maxItems: 0 },
  credentialsSchema: {
    type: 'object',
    properties: {
      url: { type: 'string', format: 'uri', secret: true, title: 'Receiver URL' },
      secret: { type: 'string', secret: true, minLength: 16, title: 'Signing secret' },
    },
    required: ['url', 'secret'],
  },
};

describe('ConnectAccountDialog', () => {
  it('renders the credential form from the plugin schema and submits typed credentials', async () => {
    const account = { id: 'acc1', pluginId: 'webhook', platform: 'webhook', displayName: 'Hook', status: 'connected' };
    const connect = jest.fn(async () => ({ account }));
    const close = jest.fn();
    TestBed.configureTestingModule({
      imports: [ConnectAccountDialog],
      providers: [
        ...pageTestProviders(new FakeTime(0)),
        { provide: MAT_DIALOG_DATA, useValue: WEBHOOK },
        { provide: MatDialogRef, useValue: { close } },
        { provide: PluginsApi, useValue: { connect } },
      ],
    });
    const fixture = TestBed.createComponent(ConnectAccountDialog);
    await fixture.whenStable();
    const loader = TestbedHarnessEnvironment.loader(fixture);
    const url = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="field-url"]' }));
    const secret = await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="field-secret"]' }));
    expect(await url.getType()).toBe('password');
    expect(await secret.getType()).toBe('password');
    const submit = await loader.getHarness(MatButtonHarness.with({ text: 'Connect' }));
    expect(await submit.isDisabled()).toBe(true);

    await url.setValue('http://127.0.0.1:9999/hook');
    await secret.setValue('too-short');
    expect(await submit.isDisabled()).toBe(true);
    await secret.setValue('0123456789abcdef0123');
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();
    expect(connect).toHaveBeenCalledWith(WEBHOOK, { url: 'http://127.0.0.1:9999/hook', secret: '0123456789abcdef0123' }, 'http://localhost/accounts', {});
    expect(close).toHaveBeenCalledWith(account);
  });

  const MASTODON: PluginManifest = {
    id: 'mastodon', name: 'Mastodon', version: '1.0.0', platform: 'mastodon', status: 'ready', capabilities: ['text'],
    auth: { kind: 'oauth2_pkce' }, text: { maxLength: 500, counting: 'graphemes' }, media: { maxItems: 4 },
    credentialsSchema: {
      type: 'object',
      properties: { accessToken: { type: 'string', secret: true }, accountId: { type: 'string' } },
      required: ['accessToken', 'accountId'],
    },
    settingsSchema: {
      type: 'object',
      properties: {
        instanceUrl: { type: 'string', format: 'uri', title: 'Instance URL' },
        visibility: { type: 'string', enum: ['public', 'unlisted'], default: 'public' },
      },
      required: ['instanceUrl'],
    },
  };

  async function open(plugin: PluginManifest, connect: jest.Mock) {
    TestBed.configureTestingModule({
      imports: [ConnectAccountDialog],
      providers: [
        ...pageTestProviders(new FakeTime(0)),
        { provide: MAT_DIALOG_DATA, useValue: plugin },
        { provide: MatDialogRef, useValue: { close: jest.fn() } },
        { provide: PluginsApi, useValue: { connect } },
      ],
    });
    const fixture = TestBed.createComponent(ConnectAccountDialog);
    await fixture.whenStable();
    return { fixture, loader: TestbedHarnessEnvironment.loader(fixture), el: fixture.nativeElement as HTMLElement };
  }

  it('asks OAuth plugins for their settings (the Mastodon instance), never for raw tokens, and names the callback URL', async () => {
    const connect = jest.fn(async () => ({ redirectUrl: 'about:blank#authorize' }));
    const { loader, el } = await open(MASTODON, connect);
    expect(el.querySelector('[data-testid="field-accessToken"]')).toBeNull();
    expect(el.querySelector('[data-testid="field-accountId"]')).toBeNull();
    expect(el.querySelector('[data-testid="callback-url"]')?.textContent).toBe('http://localhost/accounts');
    const submit = await loader.getHarness(MatButtonHarness.with({ text: 'Continue to Mastodon' }));
    expect(await submit.isDisabled()).toBe(true);
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="field-instanceUrl"]' }))).setValue('https://social.example');
    expect(await submit.isDisabled()).toBe(false);
  });

  it("shows the server's error message as written, with its list of problems", async () => {
    const connect = jest.fn(async () => {
      throw new ApiError(400, 'validation_failed', 'the account settings are not valid', undefined, { problems: ['instanceUrl: must be a URL'] });
    });
    const { loader, el, fixture } = await open(MASTODON, connect);
    await (await loader.getHarness(MatInputHarness.with({ selector: '[data-testid="field-instanceUrl"]' }))).setValue('https://social.example');
    await (await loader.getHarness(MatButtonHarness.with({ text: 'Continue to Mastodon' }))).click();
    await fixture.whenStable();
    const err = el.querySelector('[data-testid="connect-error"]')?.textContent ?? '';
    expect(err).toContain('the account settings are not valid');
    expect(err).toContain('instanceUrl: must be a URL');
    expect(connect).toHaveBeenCalledWith(MASTODON, {}, 'http://localhost/accounts', { instanceUrl: 'https://social.example' });
  });
});
