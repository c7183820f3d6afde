import type { ReceiversInfo } from './receiver-protocol';

const ADMIN = { email: 'chaos@chaos.test', password: 'chaos-password-123456', displayName: 'Chaos', workspaceName: 'Chaos' };

export interface ConnectedAccount {
  name: string;
  id: string;
  platform: 'webhook' | 'bluesky';
  busy: boolean;
}

/** The product's public HTTP API, used as a person or script would (sign-in, connect, schedule). */
export class ChaosApi {
  private token = '';

  constructor(private readonly base: string) {}

  async signIn(): Promise<void> {
    const setup = (await this.raw('GET', '/api/auth/setup')) as { needed: boolean };
    const body = setup.needed ? await this.raw('POST', '/api/auth/setup', ADMIN) : await this.raw('POST', '/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
    this.token = (body as { accessToken: string }).accessToken;
  }

  /** Waits until the publisher has loaded the plugins the run uses (they start in child processes). */
  async waitForPlugins(ids: string[], timeoutMs = 120_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const r = (await this.call('GET', '/api/plugins').catch(() => ({ items: [] }))) as { items: { id: string; status: string }[] };
      if (ids.every((id) => r.items.some((p) => p.id === id && p.status === 'ready'))) return;
      if (Date.now() > until) throw new Error(`plugins ${ids.join(', ')} not ready after ${timeoutMs} ms: ${r.items.map((p) => `${p.id} ${p.status} ${(p as { reason?: string }).reason ?? ''}`).join('; ')}`);
      await new Promise((res) => setTimeout(res, 1_000));
    }
  }

  async connect(receivers: ReceiversInfo): Promise<ConnectedAccount[]> {
    await this.waitForPlugins(receivers.bluesky.length ? ['webhook', 'bluesky'] : ['webhook']);
    const accounts: ConnectedAccount[] = [];
    for (const hook of receivers.webhooks) {
      const r = (await this.call('POST', '/api/accounts/connect', {
        pluginId: 'webhook', settings: {}, input: { kind: 'webhook_url', url: hook.url, secret: 'chaos-signing-secret-0123456789' },
      })) as { account: { id: string } };
      accounts.push({ name: hook.name, id: r.account.id, platform: 'webhook', busy: hook.busy });
    }
    for (const pds of receivers.bluesky) {
      const r = (await this.call('POST', '/api/accounts/connect', {
        pluginId: 'bluesky', settings: { service: pds.url }, input: { kind: 'app_password', identifier: pds.identifier, password: pds.password },
      })) as { account: { id: string } };
      accounts.push({ name: pds.name, id: r.account.id, platform: 'bluesky', busy: false });
    }
    return accounts;
  }

  /** One post to one account, due at `dueMs` (publish late up to 60 min after downtime: the default policy). */
  async schedule(text: string, account: ConnectedAccount, dueMs: number): Promise<string> {
    const r = (await this.call('POST', '/api/schedule', {
      post: { text, targets: [{ accountId: account.id, platform: account.platform }] },
      when: { mode: 'at', at: new Date(dueMs).toISOString() },
      zone: 'UTC',
    })) as { postId: string };
    return r.postId;
  }

  /** One call; signs in again on 401 and retries a 503 (a service still starting) a few times. */
  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    for (let tries = 0; ; tries++) {
      try {
        return await this.raw(method, path, body);
      } catch (err) {
        if (!(err instanceof ApiError) || tries >= 5) throw err;
        if (err.status === 401) await this.signIn();
        else if (err.status === 503) await new Promise((res) => setTimeout(res, 2_000));
        else throw err;
      }
    }
  }

  private async raw(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new ApiError(res.status, `${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  }
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
