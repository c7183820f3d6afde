import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createServiceDataSource } from '@sx/persistence';
import { createTestDatabase, FakeClock, type TestDatabase } from '@sx/testing';
import { AppError } from '@sx/service-kit';
import { AuthExpiredError, parseManifest, type PluginManifest } from '@sx/plugin-sdk';
import type { CommandContext } from '@sx/contracts';
import { CredentialCipher } from '../credentials/credential-cipher';
import type { PluginHost } from '../host/plugin-host.service';
import type { PluginMethod, WireCallContext } from '../host/child/ipc-protocol';
import { PUBLISHER_MIGRATIONS } from '../migrations/publisher-migrations';
import { AccountRateLimiter } from '../publishing/rate-limiter';
import { AccountCaller } from './account-caller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { OAuthStatesRepository } from './oauth-states.repository';

const manifestResult = parseManifest({
  id: 'oauthy',
  name: 'OAuthy',
  version: '1.0.0',
  contractVersion: '1.0.0',
  platform: 'oauthy',
  auth: { kind: 'oauth2_pkce', rotatingRefreshTokens: true },
  capabilities: ['text', 'refresh', 'profile'],
  text: { maxLength: 100, counting: 'graphemes' },
  media: { maxItems: 0 },
  credentialsSchema: { type: 'object', properties: {} },
  settingsSchema: { type: 'object', properties: { clientId: { type: 'string', minLength: 3 } }, required: ['clientId'] },
  rateLimits: [{ name: 'posts', scope: 'account', limit: 5, windowS: 60 }],
});
if (!manifestResult.ok) throw new Error(manifestResult.problems.join());
const manifest: PluginManifest = manifestResult.manifest;

interface Call {
  method: PluginMethod;
  ctx: WireCallContext;
  args: unknown[];
}

/** A strict fake host: every call is recorded and answered by `answer`; unknown methods fail the test. */
function fakeHost(answer: (c: Call) => unknown): { host: PluginHost; calls: Call[] } {
  const calls: Call[] = [];
  const host = {
    load: async () => undefined,
    manifest: (id: string) => {
      if (id !== 'oauthy') throw new Error(`unexpected plugin ${id}`);
      return manifest;
    },
    call: async (_id: string, method: PluginMethod, ctx: WireCallContext, args: unknown[]) => {
      calls.push({ method, ctx, args });
      return { value: await answer({ method, ctx, args }) };
    },
  } as unknown as PluginHost;
  return { host, calls };
}

const ctxA: CommandContext = { workspaceId: 'ws-a', actorId: 'u1', role: 'editor', correlationId: 'c1' };
const ctxB: CommandContext = { ...ctxA, workspaceId: 'ws-b' };

describe('AccountsService (real Postgres)', () => {
  let tdb: TestDatabase;
  let db: DataSource;
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const cipher = new CredentialCipher({ activeKeyId: 'k1', keys: new Map([['k1', k1]]) });
  const clock = new FakeClock('2026-03-01T10:00:00Z');
  let token = 0;
  let expired = false;
  const { host, calls } = fakeHost(({ method, args, ctx }) => {
    switch (method) {
      case 'beginOAuth2': {
        const input = args[0] as { state: string; codeChallenge: string };
        return { authorizeUrl: `https://oauthy.example/authorize?state=${input.state}&code_challenge=${input.codeChallenge}`, pending: { clientTag: 'ct-1' } };
      }
      case 'connect':
        return { credentials: { accessToken: `at-${++token}`, refreshToken: 'rt-1' }, profile: { externalId: 'ext-1', handle: 'alice' }, expiresAt: '2026-03-01T12:00:00Z' };
      case 'fetchProfile':
        if (expired) throw new AuthExpiredError('expired');
        return { externalId: 'ext-1', handle: 'alice', displayName: String(ctx.credentials?.['accessToken']) };
      case 'refreshCredentials':
        expired = false;
        return { credentials: { accessToken: `at-${++token}`, refreshToken: 'rt-2' } };
      default:
        throw new Error(`unexpected call ${method}`);
    }
  });
  const limiter = new AccountRateLimiter();
  let service: AccountsService;
  let repo: AccountsRepository;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = await createServiceDataSource({ url: tdb.url, schema: 'publisher', entities: [], migrations: PUBLISHER_MIGRATIONS });
    repo = new AccountsRepository(db, cipher);
    service = new AccountsService(host, repo, new OAuthStatesRepository(db, cipher), new AccountCaller(host, repo, clock), clock, limiter);
  });
  afterAll(async () => {
    await db?.destroy();
    await tdb?.drop();
  });

  it('runs the OAuth2 PKCE flow: S256 challenge, single-use state bound to the workspace, verifier at the callback', async () => {
    const started = await service.connect(ctxA, { pluginId: 'oauthy', settings: { clientId: 'abc' }, input: { kind: 'oauth2_pkce', redirectUri: 'https://app.example/cb' } });
    if (started.status !== 'redirect') throw new Error('expected a redirect');
    expect(started.authorizeUrl).toContain(`state=${started.state}`);
    await expect(service.callback(ctxB, started.state, 'code-1')).rejects.toMatchObject({ code: 'invalid_state', status: 400 });
    const account = await service.callback(ctxA, started.state, 'code-1');
    expect(account).toMatchObject({ handle: 'alice', pluginId: 'oauthy', status: 'active', expiresAt: '2026-03-01T12:00:00.000Z' });
    expect(JSON.stringify(account)).not.toContain('at-');
    const begin = calls.find((c) => c.method === 'beginOAuth2')?.args[0] as { codeChallenge: string };
    const connect = calls.find((c) => c.method === 'connect')?.args[0] as { codeVerifier: string; pending: unknown; code: string };
    expect(createHash('sha256').update(connect.codeVerifier).digest('base64url')).toBe(begin.codeChallenge);
    expect(connect).toMatchObject({ code: 'code-1', pending: { clientTag: 'ct-1' } });
    await expect(service.callback(ctxA, started.state, 'code-1')).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('refuses invalid settings and the wrong auth kind with coded 422s', async () => {
    const bad = service.connect(ctxA, { pluginId: 'oauthy', settings: { clientId: 'x' }, input: { kind: 'oauth2_pkce', redirectUri: 'https://a/cb' } });
    await expect(bad).rejects.toMatchObject({ code: 'validation_failed', status: 422, details: { problems: ['clientId: shorter than 3'] } });
    const wrong = service.connect(ctxA, { pluginId: 'oauthy', settings: { clientId: 'abc' }, input: { kind: 'bot_token', token: 't' } });
    await expect(wrong).rejects.toBeInstanceOf(AppError);
  });

  it('keeps accounts per workspace and refreshes an expired token once when probing health', async () => {
    const [account] = await service.list(ctxA);
    expect(await service.list(ctxB)).toEqual([]);
    await expect(service.health(ctxB, account.id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await service.health(ctxA, account.id)).toMatchObject({ status: 'ok' });
    expired = true;
    const refreshesBefore = calls.filter((c) => c.method === 'refreshCredentials').length;
    expect(await service.health(ctxA, account.id)).toMatchObject({ status: 'ok' });
    expect(calls.filter((c) => c.method === 'refreshCredentials').length).toBe(refreshesBefore + 1);
    const profile = await service.profile(ctxA, account.id);
    expect(profile.displayName).toBe(`at-${token}`);
  });

  it('edits an account partially: absent fields stay, null clears the display name, settings are checked and replaced whole', async () => {
    const [account] = await service.list(ctxA);
    const named = await service.edit(ctxA, account.id, { displayName: 'Alice at work' });
    expect(named).toMatchObject({ displayName: 'Alice at work', settings: account.settings, handle: 'alice', status: account.status });
    const resettled = await service.edit(ctxA, account.id, { settings: { clientId: 'xyz-123' } });
    expect(resettled).toMatchObject({ displayName: 'Alice at work', settings: { clientId: 'xyz-123' } });
    await expect(service.edit(ctxA, account.id, { settings: { clientId: 'x' } })).rejects.toMatchObject({ code: 'validation_failed', status: 422 });
    const cleared = await service.edit(ctxA, account.id, { displayName: null });
    expect(cleared.displayName).toBeUndefined();
    expect(cleared.settings).toEqual({ clientId: 'xyz-123' });
    await expect(service.edit(ctxB, account.id, { displayName: 'stolen' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it('reports the rate-limit budget: full manifest capacity first, then what publishing and headers left', async () => {
    const [account] = await service.list(ctxA);
    const limits = manifest.rateLimits;
    expect((await service.health(ctxA, account.id)).rateLimit).toEqual({ remaining: 5, capacity: 5, resetsAt: null, source: 'manifest' });
    expect(limiter.reserve(account.id, limits, clock.nowMs())).toBe(0);
    expect(limiter.reserve(account.id, limits, clock.nowMs())).toBe(0);
    const afterTwo = await service.health(ctxA, account.id);
    // 5 per 60 s refills one token every 12 s: the two spent are back 24 s from now.
    expect(afterTwo.rateLimit).toEqual({ remaining: 3, capacity: 5, resetsAt: new Date(clock.nowMs() + 24_000).toISOString(), source: 'manifest' });
    const resetAt = new Date(clock.nowMs() + 90_000).toISOString();
    limiter.observe(account.id, { remaining: 0, resetAt }, clock.nowMs());
    expect((await service.health(ctxA, account.id)).rateLimit).toEqual({ remaining: 0, capacity: 5, resetsAt: resetAt, source: 'headers' });
  });

  it('rotates every credential of the workspace to the new key, after which the old key is not needed', async () => {
    const [account] = await service.list(ctxA);
    const rotating = new AccountsRepository(db, new CredentialCipher({ activeKeyId: 'k2', keys: new Map([['k1', k1], ['k2', k2]]) }));
    const n = await rotating.rotate('ws-a', clock.now());
    expect(n).toBe(1);
    const rows = await db.query(`SELECT cred_key_id FROM publisher.accounts WHERE workspace_id = 'ws-a'`);
    expect(rows).toEqual([{ cred_key_id: 'k2' }]);
    const onlyNew = new AccountsRepository(db, new CredentialCipher({ activeKeyId: 'k2', keys: new Map([['k2', k2]]) }));
    expect((await onlyNew.withCredentials('ws-a', account.id))?.credentials).toMatchObject({ refreshToken: 'rt-2' });
    await expect(service.rotate({ ...ctxA, role: 'editor' }, 'k2')).rejects.toMatchObject({ status: 403 });
  });

  it('disconnect erases the credentials and reports the account disconnected', async () => {
    const onlyNew = new AccountsRepository(db, new CredentialCipher({ activeKeyId: 'k2', keys: new Map([['k2', k2]]) }));
    const [account] = await service.list(ctxA);
    const svc = new AccountsService(host, onlyNew, new OAuthStatesRepository(db, cipher), new AccountCaller(host, onlyNew, clock), clock, limiter);
    const after = await svc.disconnect(ctxA, account.id);
    expect(after.status).toBe('disconnected');
    expect((await onlyNew.withCredentials('ws-a', account.id))?.credentials).toEqual({});
    expect(await svc.health(ctxA, account.id)).toMatchObject({ status: 'disconnected' });
  });
});
