import { randomBytes, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { createServiceDataSource } from '@sx/persistence';
import { createTestDatabase, type TestDatabase } from '@sx/testing';
import { PublisherAccountsConnect } from '@sx/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';
import { CredentialCipher } from '../credentials/credential-cipher';
import { PUBLISHER_MIGRATIONS } from '../migrations/publisher-migrations';
import {
  commandContext, dispatch, EventLog, jsNamespace, NATS_URL, PublisherProcess, testBus, waitFor, WORKSPACE_ROOT,
} from '../testing/publisher-harness';
import { control, serve, type Served } from '../testing/contract-servers';

const WS = 'ws-real';

/**
 * Issue #4 item 6 against the real plugins and their contract servers: the publisher is SIGKILLed
 * between journaling the attempt and the platform's answer; after a restart Bluesky and Mastodon end
 * with exactly one post (reconciled by key), the webhook (no reconcile) with `unknown`.
 */
describe('crash mid-publish with the real bluesky, mastodon and webhook plugins', () => {
  const namespace = jsNamespace();
  const bus = testBus(namespace);
  const log = new EventLog();
  const key = randomBytes(32);
  let db: TestDatabase;
  let ds: DataSource;
  let publisher: PublisherProcess;
  const servers: Record<string, Served> = {};
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const id of ['bluesky', 'mastodon', 'webhook']) servers[id] = await serve(id);
    await bus.start();
    await bus.tail('post.>', (e) => log.events.push(e));
    env = {
      SX_MODE: 'distributed',
      SX_DATABASE_URL: db.url,
      SX_NATS_URL: NATS_URL,
      SX_PLUGINS_DIR: path.join(WORKSPACE_ROOT, 'plugins'),
      SX_CREDENTIAL_KEYS: `k1:${key.toString('base64')}`,
      SX_EGRESS_ALLOW: '127.0.0.1',
      SX_PLUGIN_CALL_TIMEOUT_MS: '4000',
      SX_LOG_LEVEL: 'silent',
    };
    publisher = await PublisherProcess.start(env, namespace);
    ds = await createServiceDataSource({ url: db.url, schema: 'publisher', entities: [], migrations: PUBLISHER_MIGRATIONS });
  }, 180_000);

  afterAll(async () => {
    await publisher?.kill();
    for (const s of Object.values(servers)) s.child.kill('SIGTERM');
    await bus.destroyNamespace().catch(() => undefined);
    await bus.close();
    await ds?.destroy();
    await db?.drop();
  });

  it('ends with exactly one Bluesky and one Mastodon post, and the webhook job unknown', async () => {
    const b = servers['bluesky'];
    const w = servers['webhook'];
    const m = servers['mastodon'];
    const ctx = commandContext(WS);
    const bsky = await bus.request(PublisherAccountsConnect, {
      pluginId: 'bluesky', settings: b.settings, input: { kind: 'app_password', identifier: b.credentials['identifier'], password: b.credentials['appPassword'] },
    }, ctx);
    const hook = await bus.request(PublisherAccountsConnect, {
      pluginId: 'webhook', settings: w.settings, input: { kind: 'webhook_url', url: w.credentials['url'], secret: w.credentials['secret'] },
    }, ctx);
    if (!bsky.ok || bsky.data.status !== 'connected' || !hook.ok || hook.data.status !== 'connected') throw new Error(JSON.stringify({ bsky, hook }));
    // Mastodon connects by OAuth in a browser; seed the account it would produce (same repository, same key).
    const masto = await new AccountsRepository(ds, new CredentialCipher({ activeKeyId: 'k1', keys: new Map([['k1', key]]) })).upsert({
      id: randomUUID(), workspaceId: WS, pluginId: 'mastodon', platform: 'mastodon', externalId: m.credentials['accountId'],
      handle: m.credentials['username'], settings: m.settings, credentials: m.credentials, now: new Date(),
    });

    const jobs = { bluesky: bsky.data.account.id, mastodon: masto.id, webhook: hook.data.account.id } as const;
    for (const [platform, accountId] of Object.entries(jobs)) {
      await control.failNext(servers[platform], { kind: 'commit_then_hang' });
      await dispatch(bus, { workspaceId: WS, jobId: `crash-${platform}`, accountId, platform, text: `exactly once on ${platform}` });
    }
    for (const platform of Object.keys(jobs)) {
      await waitFor(`${platform} stored the post`, async () => ((await control.posts(servers[platform])).length === 1) || undefined, 15_000);
    }
    await publisher.kill();
    expect(log.events.filter((e) => e.subject !== 'post.publishing')).toEqual([]);

    publisher = await PublisherProcess.start(env, namespace);
    for (const platform of ['bluesky', 'mastodon']) {
      const p = await waitFor(`published ${platform}`, () => log.data<{ platformPostId: string }>('post.published', `crash-${platform}`), 60_000);
      const posts = await control.posts(servers[platform]);
      expect(posts).toHaveLength(1);
      expect(p.platformPostId).toContain(posts[0].id);
    }
    await waitFor('unknown webhook', () => log.find('post.unknown', 'crash-webhook'), 60_000);
    expect(await control.posts(w)).toHaveLength(1);
  }, 180_000);
});
