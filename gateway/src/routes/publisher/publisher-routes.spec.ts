import type { CommandDefinition } from '@sx/contracts';
import {
  PublisherAccountsCallback,
  PublisherAccountsConnect,
  PublisherAccountsDisconnect,
  PublisherAccountsHealth,
  PublisherAccountsList,
  PublisherAccountsProfile,
  PublisherCredentialsRotate,
  PublisherPluginsList,
} from '@sx/contracts';
import type { Principal } from '../../auth/principal';
import { MIN_ROLE_KEY } from '../../auth/roles.decorator';
import type { CommandProxy } from '../../proxy/command-proxy.service';
import { AccountsController } from './accounts.controller';
import { PluginsController } from './plugins.controller';

const principal: Principal = { userId: 'u1', workspaceId: 'w1', role: 'editor', kind: 'user' };

function recordingProxy(): { proxy: CommandProxy; calls: { def: CommandDefinition; request: unknown }[] } {
  const calls: { def: CommandDefinition; request: unknown }[] = [];
  const proxy = { call: async (def: CommandDefinition, _p: Principal, request: unknown) => void calls.push({ def, request }) } as unknown as CommandProxy;
  return { proxy, calls };
}

describe('publisher routes', () => {
  it('map each route to its publisher command, the path id winning', async () => {
    const { proxy, calls } = recordingProxy();
    const accounts = new AccountsController(proxy);
    await new PluginsController(proxy).list(principal);
    await accounts.list(principal, 'x');
    await accounts.connect(principal, { pluginId: 'x', input: { kind: 'oauth2_pkce', redirectUri: 'https://app/cb' } });
    await accounts.callback(principal, { state: 's'.repeat(20), code: 'c' });
    await accounts.disconnect(principal, 'acc-1');
    await accounts.profile(principal, 'acc-1');
    await accounts.health(principal, 'acc-1');
    await accounts.rotate(principal);
    expect(calls.map((c) => c.def.subject)).toEqual(
      [PublisherPluginsList, PublisherAccountsList, PublisherAccountsConnect, PublisherAccountsCallback, PublisherAccountsDisconnect,
        PublisherAccountsProfile, PublisherAccountsHealth, PublisherCredentialsRotate].map((d) => d.subject),
    );
    expect(calls[1].request).toEqual({ pluginId: 'x' });
    expect(calls[4].request).toEqual({ accountId: 'acc-1' });
  });

  it('require editor for mutations and admin for key rotation; reads need only viewer', () => {
    const role = (name: keyof AccountsController) => Reflect.getMetadata(MIN_ROLE_KEY, AccountsController.prototype[name]) as string | undefined;
    expect([role('connect'), role('callback'), role('disconnect')]).toEqual(['editor', 'editor', 'editor']);
    expect(role('rotate')).toBe('admin');
    expect([role('list'), role('profile'), role('health')]).toEqual([undefined, undefined, undefined]);
  });

  it('the request schemas refuse a webhook URL that is not http(s) and a short OAuth state', () => {
    expect(
      PublisherAccountsConnect.request.safeParse({ pluginId: 'webhook', input: { kind: 'webhook_url', url: 'file:///etc/passwd' } }).success,
    ).toBe(false);
    expect(PublisherAccountsCallback.request.safeParse({ state: 'short', code: 'c' }).success).toBe(false);
  });
});
