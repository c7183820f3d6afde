/// <reference types="jest" />
import type { MediaRef, PostContent } from '../content';
import type { Credentials, Settings } from '../context';
import { AuthExpiredError, OutcomeUnknownError, RateLimitedError, RejectedError, RetryableError } from '../errors';
import { isContractCompatible, parseManifest, type PluginManifest } from '../manifest';
import { checkPluginShape, type PluginDefinition } from '../plugin';
import { ALL_FAULTS, type ContractFaultKind, type ContractServer } from './contract-server';
import { createTestContext } from './test-context';

export interface ConformanceAccount<C extends Credentials, S extends Settings> {
  credentials: C;
  settings: S;
}

export interface ConformanceOptions<C extends Credentials, S extends Settings> {
  plugin: PluginDefinition<C, S>;
  /** The raw `schedulerx` block of the plugin's package.json (validated strictly by the kit). */
  manifest: unknown;
  startServer(): Promise<ContractServer>;
  /** Credentials and settings of a connected account on `server` (may run the plugin's connect flow). */
  account(server: ContractServer): Promise<ConformanceAccount<C, S>>;
  /** A post the platform accepts; default: a short text post. */
  validPost?: PostContent;
  /** Media every valid post carries (platforms that take no text-only post, e.g. video-only YouTube). */
  validMedia?: { ref: MediaRef; bytes: Uint8Array }[];
  /** Faults the contract server implements; default all. */
  faults?: readonly ContractFaultKind[];
  /** HTTP timeout used for the commit_then_hang case (default 1500 ms). */
  hangTimeoutMs?: number;
}

const post = (text: string): PostContent => ({ text, hashtags: [], settings: {} });

/**
 * Registers the conformance suite with jest. Every plugin's spec calls it against its contract server.
 * It checks the manifest, `validate`, `publish`, error classification for each fault, reconcile and refresh.
 */
export function runConformance<C extends Credentials, S extends Settings>(o: ConformanceOptions<C, S>): void {
  const faults = new Set(o.faults ?? ALL_FAULTS);
  const parsed = parseManifest(o.manifest);
  const manifest = (parsed.ok ? parsed.manifest : undefined) as PluginManifest;
  let server: ContractServer;
  let account: ConformanceAccount<C, S>;
  let seq = 0;
  const ctx = (extra: { idempotencyKey?: string; timeoutMs?: number; credentials?: C } = {}) =>
    createTestContext<C, S>({
      credentials: extra.credentials ?? account.credentials,
      settings: account.settings,
      idempotencyKey: extra.idempotencyKey ?? `conf-${Date.now()}-${++seq}`,
      timeoutMs: extra.timeoutMs,
      media: o.validMedia,
    });
  const validRefs: MediaRef[] = (o.validMedia ?? []).map((m) => m.ref);
  const publishPost = (p: PostContent = o.validPost ?? post(`conformance ${++seq}`)) => ({ ...p, media: validRefs });

  describe(`plugin conformance: ${manifest?.id ?? 'invalid manifest'}`, () => {
    beforeAll(async () => {
      server = await o.startServer();
      account = await o.account(server);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('has a strictly valid manifest, a compatible contract and an implementation matching it', () => {
      expect(parsed.ok ? [] : parsed.problems).toEqual([]);
      expect(isContractCompatible(manifest.contractVersion)).toBe(true);
      expect(checkPluginShape(o.plugin, manifest)).toEqual([]);
    });

    it('accepts a valid post', async () => {
      const r = await o.plugin.validate(o.validPost ?? post('hello'), validRefs);
      expect(r).toEqual({ ok: true, violations: [] });
    });

    it('lists every violated rule, not only the first', async () => {
      const tooMany: MediaRef[] = Array.from({ length: manifest.media.maxItems + 1 }, (_, i) => ({
        id: `m${i}`,
        kind: 'image',
        mimeType: 'image/x-unknown',
        sizeBytes: 1,
      }));
      const r = await o.plugin.validate(post('x'.repeat(manifest.text.maxLength * 2 + 10)), tooMany);
      expect(r.ok).toBe(false);
      const rules = r.violations.map((v) => v.rule);
      expect(rules).toContain('text.max_length');
      expect(rules).toContain('media.max_items');
    });

    it('publishes through ctx.http and returns the platform id and an http(s) URL', async () => {
      const before = server.posts().length;
      const c = ctx();
      const res = await o.plugin.publish(c, publishPost());
      expect(res.platformPostId).toEqual(expect.any(String));
      expect(res.platformPostId.length).toBeGreaterThan(0);
      expect(new URL(res.url).protocol).toMatch(/^https?:$/);
      expect(server.posts().length).toBe(before + 1);
      expect(c.http.requests.length).toBeGreaterThan(0);
      const logged = JSON.stringify(c.logger.lines);
      for (const v of Object.values(account.credentials)) {
        if (typeof v === 'string' && v.length >= 8) expect(logged).not.toContain(v);
      }
    });

    const expectClass = (kind: ContractFaultKind, cls: abstract new (...a: never[]) => Error) =>
      it(`classifies the platform's ${kind} answer as ${cls.name}`, async () => {
        server.failNext(kind === 'rate_limited' ? { kind, resetInMs: 30_000 } : { kind } as never);
        const started = Date.now();
        const err = await o.plugin.publish(ctx(), publishPost()).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(cls);
        if (err instanceof RateLimitedError) {
          expect(err.resetAt.getTime()).toBeGreaterThanOrEqual(started + 25_000);
          expect(err.resetAt.getTime()).toBeLessThanOrEqual(started + 35_000);
        }
      });
    if (faults.has('rate_limited')) expectClass('rate_limited', RateLimitedError);
    if (faults.has('server_error')) expectClass('server_error', RetryableError);
    if (faults.has('auth_expired')) expectClass('auth_expired', AuthExpiredError);
    if (faults.has('rejected')) expectClass('rejected', RejectedError);

    if (faults.has('commit_then_drop')) {
      it('reports an outcome-unknown error when the connection drops after the platform stored the post', async () => {
        const key = `conf-drop-${Date.now()}`;
        const before = server.posts().length;
        server.failNext({ kind: 'commit_then_drop' });
        const err = await o.plugin.publish(ctx({ idempotencyKey: key }), publishPost()).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(OutcomeUnknownError);
        expect(server.posts().length).toBe(before + 1);
        if (o.plugin.reconcile) {
          const r = await o.plugin.reconcile(ctx({ idempotencyKey: key }), publishPost());
          expect(r.status).toBe('found');
          if (r.status === 'found') expect(r.platformPostId).toBe(server.posts()[before].id);
        }
      });
    }

    if (faults.has('commit_then_hang')) {
      it('times out as outcome-unknown when the platform never answers', async () => {
        server.failNext({ kind: 'commit_then_hang' });
        const c = ctx({ timeoutMs: o.hangTimeoutMs ?? 1_500 });
        const err = await o.plugin.publish(c, publishPost()).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(OutcomeUnknownError);
      });
    }

    const { reconcile, refreshCredentials } = o.plugin;
    if (manifest?.capabilities.includes('reconcile') && reconcile) {
      it('reconciles: finds a published post by its idempotency key and not an unknown key', async () => {
        const key = `conf-rec-${Date.now()}`;
        const res = await o.plugin.publish(ctx({ idempotencyKey: key }), publishPost());
        const found = await reconcile(ctx({ idempotencyKey: key }), publishPost());
        expect(found).toMatchObject({ status: 'found', platformPostId: res.platformPostId });
        const missing = await reconcile(ctx({ idempotencyKey: `${key}-never` }), publishPost());
        expect(missing.status).not.toBe('found');
      });
    }

    if (manifest?.capabilities.includes('refresh') && refreshCredentials) {
      it('refreshes expired credentials and publishes with the new ones', async () => {
        server.expireAccessTokens();
        const before = server.stats().refreshes;
        const err = await o.plugin.publish(ctx(), publishPost()).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(AuthExpiredError);
        const refreshed = await refreshCredentials(ctx());
        expect(server.stats().refreshes).toBe(before + 1);
        account = { ...account, credentials: refreshed.credentials };
        const res = await o.plugin.publish(ctx(), publishPost());
        expect(res.platformPostId.length).toBeGreaterThan(0);
      });
    }
  });
}
