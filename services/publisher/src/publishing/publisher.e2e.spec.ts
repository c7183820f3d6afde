import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { PublisherAccountsConnect, PublisherPluginsList, type EventData, type PostDeferred, type PostPublished, type PostRetrying } from '@sx/contracts';
import type { ContractServer } from '@sx/plugin-sdk';
import { startContractServer } from '../testing/fixtures/plugins/echo/contract-server/server';
import {
  commandContext, dispatch, EventLog, FIXTURE_PLUGINS, jsNamespace, NATS_URL, PublisherProcess, testBus, waitFor,
} from '../testing/publisher-harness';

const WS = 'ws-e2e';
const CALL_TIMEOUT_MS = 3_000;
/** SX_E2E_DEBUG=1 shows the publisher process's debug log. */
const DEBUG = Boolean(process.env['SX_E2E_DEBUG']);

/**
 * The publisher as a separate OS process on real NATS JetStream and Postgres, driven like the
 * scheduler and gateway drive it: commands to connect accounts, `dispatch.*` events to publish.
 */
describe('publisher end to end (NATS + Postgres, publisher in its own process)', () => {
  const namespace = jsNamespace();
  const bus = testBus(namespace);
  const log = new EventLog();
  let db: TestDatabase;
  let pg: Client;
  let server: ContractServer;
  let publisher: PublisherProcess;
  let echoAccount = '';
  let hostileAccount = '';
  let env: Record<string, string>;

  const published = (jobId: string) => log.data<EventData<typeof PostPublished>>('post.published', jobId);
  const attemptStatus = async (jobId: string) =>
    ((await pg.query('SELECT status FROM publisher.attempts WHERE job_id = $1', [jobId])).rows[0] as { status: string } | undefined)?.status;

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    server = await startContractServer();
    await bus.start();
    await bus.tail('post.>', (e) => log.events.push(e));
    await bus.tail('plugin.>', (e) => log.events.push(e));
    env = {
      SX_MODE: 'distributed',
      SX_DATABASE_URL: db.url,
      SX_NATS_URL: NATS_URL,
      SX_PLUGINS_DIR: FIXTURE_PLUGINS,
      SX_CREDENTIAL_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      SX_EGRESS_ALLOW: '127.0.0.1',
      SX_PLUGIN_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      SX_PLUGIN_MEMORY_MB: '64',
      SX_LOG_LEVEL: DEBUG ? 'debug' : 'silent',
    };
    publisher = await PublisherProcess.start(env, namespace, DEBUG);
  }, 90_000);

  afterAll(async () => {
    await publisher?.kill();
    await bus.destroyNamespace().catch(() => undefined);
    await bus.close();
    await server?.close();
    await pg?.end();
    await db?.drop();
  });

  it('lists the fixture plugins and connects accounts without returning credentials', async () => {
    const plugins = await bus.request(PublisherPluginsList, {}, commandContext(WS));
    expect(plugins.ok && plugins.data.items.map((p) => [p.id, p.status]).sort()).toEqual([
      ['echo', 'ready'],
      ['hostile', 'ready'],
    ]);
    const echo = await bus.request(
      PublisherAccountsConnect,
      { pluginId: 'echo', settings: { serviceUrl: server.url }, input: { kind: 'app_password', identifier: 'alice.test', password: 'app-password' } },
      commandContext(WS),
    );
    if (!echo.ok || echo.data.status !== 'connected') throw new Error(JSON.stringify(echo));
    echoAccount = echo.data.account.id;
    expect(JSON.stringify(echo)).not.toMatch(/app-password|accessJwt|refreshJwt/);
    const hostile = await bus.request(PublisherAccountsConnect, { pluginId: 'hostile', settings: {}, input: { kind: 'none' } }, commandContext(WS));
    if (!hostile.ok || hostile.data.status !== 'connected') throw new Error(JSON.stringify(hostile));
    hostileAccount = hostile.data.account.id;
    const wrong = await bus.request(
      PublisherAccountsConnect,
      { pluginId: 'echo', settings: { serviceUrl: server.url }, input: { kind: 'bot_token', token: 'x' } },
      commandContext(WS),
    );
    expect(wrong.ok ? undefined : wrong.error).toMatchObject({ code: 'validation_failed', status: 422 });
    const stored = await pg.query('SELECT cred_ciphertext::text AS c FROM publisher.accounts');
    expect(JSON.stringify(stored.rows)).not.toContain('at-');
  });

  it('publishes a dispatched job with the platform id and URL, after journaling the attempt', async () => {
    await dispatch(bus, { workspaceId: WS, jobId: 'happy-1', accountId: echoAccount, platform: 'echo', text: 'hello world' });
    const p = await waitFor('post.published happy-1', () => published('happy-1'));
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/p\//);
    expect(server.posts().find((x) => x.key === 'sx-happy-1')?.id).toBe(p.platformPostId);
    expect(log.find('post.publishing', 'happy-1')).toBeDefined();
    expect(await attemptStatus('happy-1')).toBe('published');
  });

  it('refuses a post over the platform limit before any platform call, listing the rule', async () => {
    const before = server.stats().requests;
    await dispatch(bus, { workspaceId: WS, jobId: 'too-long', accountId: echoAccount, platform: 'echo', text: 'x'.repeat(301) });
    const f = await waitFor('post.failed too-long', () => log.data<{ errorClass: string; message: string }>('post.failed', 'too-long'));
    expect(f.errorClass).toBe('rejected');
    expect(f.message).toContain('text.max_length');
    expect(server.stats().requests).toBe(before);
  });

  it('50 concurrent publishes on one account with an expired rotating token refresh exactly once', async () => {
    server.expireAccessTokens();
    const before = server.stats().refreshes;
    const ids = Array.from({ length: 50 }, (_, i) => `burst-${i}`);
    await Promise.all(ids.map((jobId) => dispatch(bus, { workspaceId: WS, jobId, accountId: echoAccount, platform: 'echo', text: `burst ${jobId}` })));
    await waitFor('50 published', () => ids.every((id) => published(id)) || undefined, 60_000);
    expect(server.stats().refreshes - before).toBe(1);
    expect(new Set(server.posts().filter((p) => p.key?.startsWith('sx-burst-')).map((p) => p.key)).size).toBe(50);
  });

  it('a 429 with a reset header makes the job retry after the reset and defers the account\'s next post until then', async () => {
    server.failNext({ kind: 'rate_limited', resetInMs: 3_000 });
    await dispatch(bus, { workspaceId: WS, jobId: 'limited-a', accountId: echoAccount, platform: 'echo', text: 'limited a' });
    const retrying = await waitFor('post.retrying', () => log.find('post.retrying', 'limited-a'));
    const r = retrying.data as EventData<typeof PostRetrying>;
    expect(r.errorClass).toBe('rate_limited');
    expect(Date.parse(r.retryAt) - Date.parse(retrying.occurredAt)).toBeGreaterThanOrEqual(2_900);
    await dispatch(bus, { workspaceId: WS, jobId: 'limited-b', accountId: echoAccount, platform: 'echo', text: 'limited b' });
    // Held back without a call and without spending bus deliveries: the scheduler re-arms it for `until`.
    const deferred = await waitFor('post.deferred limited-b', () => log.find('post.deferred', 'limited-b'));
    const until = Date.parse((deferred.data as EventData<typeof PostDeferred>).until);
    expect(until).toBeGreaterThanOrEqual(Date.parse(r.retryAt) - 3_100);
    expect(log.find('post.publishing', 'limited-b')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())));
    await dispatch(bus, { workspaceId: WS, jobId: 'limited-b', accountId: echoAccount, platform: 'echo', text: 'limited b', attempt: 2 });
    const b = await waitFor('post.published limited-b', () => log.find('post.published', 'limited-b'), 20_000);
    expect(Date.parse(b.occurredAt) - Date.parse(retrying.occurredAt)).toBeGreaterThanOrEqual(2_000);
  });

  it('killed between journaling and the answer: echo ends with exactly one post, a non-reconciling plugin with unknown', async () => {
    server.failNext({ kind: 'commit_then_hang' });
    await dispatch(bus, { workspaceId: WS, jobId: 'crash-echo', accountId: echoAccount, platform: 'echo', text: 'crash echo' });
    await dispatch(bus, { workspaceId: WS, jobId: 'crash-hook', accountId: hostileAccount, platform: 'hostile', text: 'x', settings: { mode: 'hang' } });
    await waitFor('echo post stored by the platform', () => server.posts().some((p) => p.key === 'sx-crash-echo') || undefined, 10_000);
    await waitFor('hostile attempt journaled', async () => ((await attemptStatus('crash-hook')) === 'publishing') || undefined, 10_000);
    await publisher.kill();
    expect(await attemptStatus('crash-echo')).toBe('publishing');

    publisher = await PublisherProcess.start(env, namespace, DEBUG);
    const p = await waitFor('post.published crash-echo', () => published('crash-echo'), 60_000);
    expect(server.posts().filter((x) => x.key === 'sx-crash-echo')).toHaveLength(1);
    expect(p.platformPostId).toBe(server.posts().find((x) => x.key === 'sx-crash-echo')?.id);
    const u = await waitFor('post.unknown crash-hook', () => log.data<{ message: string }>('post.unknown', 'crash-hook'), 60_000);
    expect(u.message).toMatch(/cannot look the post up/);
    expect(await attemptStatus('crash-hook')).toBe('unknown');
  }, 120_000);

  it('a hostile plugin (loop, OOM, exit) fails only its own jobs, is quarantined, and echo keeps publishing', async () => {
    for (const mode of ['loop', 'oom', 'exit']) {
      await dispatch(bus, { workspaceId: WS, jobId: `hostile-${mode}`, accountId: hostileAccount, platform: 'hostile', text: 'x', settings: { mode } });
      await dispatch(bus, { workspaceId: WS, jobId: `beside-${mode}`, accountId: echoAccount, platform: 'echo', text: `beside ${mode}` });
      await waitFor(`unknown hostile-${mode}`, () => log.find('post.unknown', `hostile-${mode}`), 20_000);
      await waitFor(`published beside-${mode}`, () => published(`beside-${mode}`), 20_000);
    }
    await waitFor('quarantine event', () =>
      log.events.find((e) => e.subject === 'plugin.health.changed' && (e.data as { status: string; pluginId: string }).pluginId === 'hostile' &&
        (e.data as { status: string }).status === 'quarantined'),
    );
    await dispatch(bus, { workspaceId: WS, jobId: 'hostile-after', accountId: hostileAccount, platform: 'hostile', text: 'x' });
    const f = await waitFor('failed hostile-after', () => log.data<{ errorClass: string; message: string }>('post.failed', 'hostile-after'));
    expect(f).toMatchObject({ errorClass: 'disconnected' });
    expect(f.message).toMatch(/quarantined/);
    const plugins = await bus.request(PublisherPluginsList, {}, commandContext(WS));
    expect(plugins.ok && plugins.data.items.find((p) => p.id === 'hostile')?.status).toBe('quarantined');
  }, 120_000);
});
