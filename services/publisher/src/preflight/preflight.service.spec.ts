import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { InProcessEventBus } from '@sx/bus';
import { MediaGet, type CommandContext, type MediaAsset } from '@sx/contracts';
import { createServiceDataSource } from '@sx/persistence';
import { parseManifest, validateAgainstManifest, type MediaRef, type PluginManifest, type PostContent } from '@sx/plugin-sdk';
import { AppError } from '@sx/service-kit';
import { createTestDatabase, FakeClock, type TestDatabase } from '@sx/testing';
import { AccountsRepository } from '../accounts/accounts.repository';
import { CredentialCipher } from '../credentials/credential-cipher';
import { PluginUnavailableError } from '../host/plugin-errors';
import type { PluginHost } from '../host/plugin-host.service';
import { PublisherInit1763900000000 } from '../migrations/1763900000000-publisher-init';
import { PreflightService } from './preflight.service';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
/** The shipped plugins' real manifests (package.json "schedulerx"), as the host loads them. */
function shippedManifest(id: string): PluginManifest {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'plugins', id, 'package.json'), 'utf8')) as { schedulerx: unknown };
  const parsed = parseManifest(pkg.schedulerx);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.manifest;
}

const manifests = new Map(['webhook', 'bluesky'].map((id) => [id, shippedManifest(id)]));
/** Loaded plugins validate exactly as the shipped ones do (validateAgainstManifest on their manifest); others are not loaded. */
const host = {
  load: async () => undefined,
  manifest: (id: string) => {
    const m = manifests.get(id);
    if (!m) throw new PluginUnavailableError(id, 'not installed');
    return m;
  },
  call: async (id: string, method: string, _ctx: unknown, args: unknown[]) => {
    if (method !== 'validate') throw new Error(`unexpected ${method}`);
    return { value: validateAgainstManifest(host.manifest(id), args[0] as PostContent, args[1] as MediaRef[]) };
  },
} as unknown as PluginHost;

const ctxA: CommandContext = { workspaceId: 'ws-a', actorId: 'u1', role: 'editor', correlationId: 'c1' };
const IMAGE_ID = randomUUID();
const DELETED_ID = randomUUID();
const image: MediaAsset = {
  id: IMAGE_ID, filename: 'cat.png', mime: 'image/png', kind: 'image', bytes: 20_000, sha256: null, status: 'ready', statusCode: null, statusDetail: null,
  source: 'upload', metadata: { width: 640, height: 480 }, tags: [], platforms: [], createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z',
  deletedAt: null, urls: { content: null, thumbnail: null },
};

describe('PreflightService: one check per target, every violated rule (real Postgres, shipped manifests)', () => {
  let tdb: TestDatabase;
  let db: DataSource;
  let bus: InProcessEventBus;
  let service: PreflightService;
  let repo: AccountsRepository;
  const clock = new FakeClock('2026-03-01T10:00:00Z');
  const ids: Record<string, string> = {};

  async function account(name: string, pluginId: string, workspaceId = 'ws-a', expiresAt?: Date): Promise<string> {
    const rec = await repo.upsert({
      id: randomUUID(), workspaceId, pluginId, platform: pluginId, externalId: `ext-${name}`, handle: name, settings: {}, credentials: { token: 't' }, expiresAt, now: clock.now(),
    });
    ids[name] = rec.id;
    return rec.id;
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = await createServiceDataSource({ url: tdb.url, schema: 'publisher', entities: [], migrations: [PublisherInit1763900000000] });
    repo = new AccountsRepository(db, new CredentialCipher({ activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) }));
    bus = new InProcessEventBus({ clock });
    await bus.start();
    await bus.handle(MediaGet, async (r) => {
      if (r.assetId === IMAGE_ID) return { ok: true, data: image };
      if (r.assetId === DELETED_ID) return { ok: true, data: { ...image, id: DELETED_ID, deletedAt: '2026-02-01T00:00:00.000Z' } };
      return { ok: false, error: { code: 'not_found', message: 'no such asset', status: 404 } };
    });
    service = new PreflightService(host, repo, bus, clock);
    await account('bsky', 'bluesky');
    await account('hook', 'webhook');
    await account('gone-plugin', 'tiktok-legacy');
    await account('foreign', 'bluesky', 'ws-b');
    await repo.setStatus('ws-a', await account('off', 'bluesky'), 'disconnected', clock.now());
    await repo.setStatus('ws-a', await account('refused', 'bluesky'), 'needs_reconnect', clock.now());
    await account('expired-hook', 'webhook', 'ws-a', new Date('2026-03-01T09:00:00Z'));
  });
  afterAll(async () => {
    await bus?.close();
    await db?.destroy();
    await tdb?.drop();
  });

  const content = (over: Partial<{ text: string; mediaIds: string[]; overrides: Record<string, Record<string, unknown>> }> = {}) => ({
    text: 'hello', hashtags: [], mediaIds: [], overrides: {}, ...over,
  });
  async function rulesFor(name: string, c = content(), platform?: string): Promise<string[]> {
    const r = await service.check(ctxA, { content: c, targets: [{ accountId: ids[name] ?? name, ...(platform ? { platform } : {}) }] });
    expect(r.ok).toBe(r.targets[0].violations.length === 0);
    return r.targets[0].violations.map((v) => v.rule);
  }

  it('passes a post every target can publish', async () => {
    const r = await service.check(ctxA, { content: content({ mediaIds: [IMAGE_ID] }), targets: [{ accountId: ids['bsky'], platform: 'bluesky' }] });
    expect(r).toEqual({ ok: true, targets: [expect.objectContaining({ accountId: ids['bsky'], platform: 'bluesky', pluginId: 'bluesky', ok: true, violations: [] })] });
  });

  it('account.not_found: an unknown id and another workspace\'s account answer alike', async () => {
    expect(await rulesFor(randomUUID())).toEqual(['account.not_found']);
    expect(await rulesFor('not-a-uuid')).toEqual(['account.not_found']);
    expect(await rulesFor('foreign')).toEqual(['account.not_found']);
  });

  it('plugin.not_loaded: an account on a platform no loaded plugin publishes to', async () => {
    expect(await rulesFor('gone-plugin')).toEqual(['plugin.not_loaded']);
  });

  it('account.not_connected and account.not_authorised', async () => {
    expect(await rulesFor('off')).toEqual(['account.not_connected']);
    expect(await rulesFor('refused')).toEqual(['account.not_authorised']);
  });

  it('account.token_expired: an expired token the plugin cannot refresh', async () => {
    expect(await rulesFor('expired-hook')).toEqual(['account.token_expired']);
  });

  it('account.platform_mismatch: the target names another platform than the account is on', async () => {
    expect(await rulesFor('bsky', content(), 'mastodon')).toEqual(['account.platform_mismatch']);
  });

  it('media on a platform that takes none (the webhook): media.max_items and media.image.unsupported', async () => {
    expect(await rulesFor('hook', content({ mediaIds: [IMAGE_ID] }))).toEqual(['media.max_items', 'media.image.unsupported']);
  });

  it('text.required: an empty text where the platform needs one', async () => {
    expect(await rulesFor('hook', content({ text: '  ' }))).toEqual(['text.required']);
  });

  it('text.max_length: a Bluesky text over 300 graphemes (counted as graphemes, not UTF-16 units), also via its override', async () => {
    const family = '👨‍👩‍👧‍👦';
    expect(await rulesFor('bsky', content({ text: family.repeat(300) }))).toEqual([]);
    expect(await rulesFor('bsky', content({ text: 'a'.repeat(301) }))).toEqual(['text.max_length']);
    expect(await rulesFor('bsky', content({ text: 'short', overrides: { bluesky: { text: 'b'.repeat(301) } } }))).toEqual(['text.max_length']);
  });

  it('media.not_found and media.deleted', async () => {
    expect(await rulesFor('bsky', content({ mediaIds: [randomUUID()] }))).toEqual(['media.not_found']);
    expect(await rulesFor('bsky', content({ mediaIds: [DELETED_ID] }))).toEqual(['media.deleted']);
  });

  it('lists every violated rule of every target in one answer, with messages and the daily caps a manifest declares', async () => {
    const r = await service.check(ctxA, {
      content: content({ text: '', mediaIds: [IMAGE_ID] }),
      targets: [{ accountId: ids['hook'] }, { accountId: ids['off'] }, { accountId: ids['bsky'] }],
    });
    expect(r.ok).toBe(false);
    expect(r.targets.map((t) => [t.platform, t.ok, t.violations.map((v) => v.rule)])).toEqual([
      ['webhook', false, ['media.max_items', 'media.image.unsupported']],
      ['bluesky', false, ['account.not_connected']],
      ['bluesky', true, []],
    ]);
    expect(r.targets.every((t) => t.violations.every((v) => v.message.length > 0))).toBe(true);
    expect(r.targets[2].caps).toEqual([{ name: 'record-creates-day', limit: 11666, windowS: 86400 }]);
  });

  it('a media service failure is a 503, never a silent pass', async () => {
    const down = new InProcessEventBus({ clock, requestTimeoutMs: 50 });
    await down.start();
    const err = await new PreflightService(host, repo, down, clock).check(ctxA, { content: content({ mediaIds: [IMAGE_ID] }), targets: [{ accountId: ids['bsky'] }] }).catch((e: unknown) => e);
    await down.close();
    expect(err instanceof AppError ? err.status : err).toBe(503);
  });
});
