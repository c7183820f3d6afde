import type { EventBus } from '@sx/bus';
import {
  MediaGet,
  type CommandContext,
  type CommandRequest,
  type MediaAsset,
  type PreflightTargetResult,
  type PreflightViolation,
  type PublisherPreflight,
} from '@sx/contracts';
import type { MediaRef, PluginManifest, PostContent, ValidationResult } from '@sx/plugin-sdk';
import { AppError, type Clock } from '@sx/service-kit';
import type { AccountRecord } from '../accounts/account.types';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { PluginHost } from '../host/plugin-host.service';

type Request = CommandRequest<typeof PublisherPreflight>;
type Content = Request['content'];
type MediaLookup = { ref: MediaRef } | { violation: PreflightViolation };

const DAY_S = 86_400;

/**
 * The one pre-flight check, where the data is: accounts and the plugin registry live here. For each target:
 * the account exists in the caller's workspace, is connected and authorised, its plugin is loaded, and the
 * plugin's own `validate` (built on its manifest) accepts the content as it would be dispatched to it —
 * the same per-platform override, the same media refs. Every violated rule is listed, per target.
 */
export class PreflightService {
  constructor(
    private readonly host: PluginHost,
    private readonly accounts: AccountsRepository,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  async check(ctx: CommandContext, req: Request): Promise<{ ok: boolean; targets: PreflightTargetResult[] }> {
    await this.host.load();
    const media = await this.lookupMedia(ctx, req.content.mediaIds);
    const targets: PreflightTargetResult[] = [];
    for (const target of req.targets) targets.push(await this.checkTarget(ctx, target, req.content, media));
    return { ok: targets.every((t) => t.ok), targets };
  }

  private async checkTarget(ctx: CommandContext, target: Request['targets'][number], content: Content, media: MediaLookup[]): Promise<PreflightTargetResult> {
    const account = await this.accounts.get(ctx.workspaceId, target.accountId);
    const result = (platform: string | null, pluginId: string | null, violations: PreflightViolation[], caps: PreflightTargetResult['caps'] = []) => ({
      accountId: target.accountId,
      platform,
      pluginId,
      ok: violations.length === 0,
      violations,
      caps,
    });
    // Another workspace's account answers exactly like a random id.
    if (!account) return result(target.platform ?? null, null, [{ rule: 'account.not_found', field: 'targets', message: `account ${target.accountId} does not exist` }]);
    const v: PreflightViolation[] = [];
    if (target.platform !== undefined && target.platform !== account.platform) {
      v.push({ rule: 'account.platform_mismatch', field: 'targets', message: `account ${account.handle} is on ${account.platform}, not ${target.platform}`, limit: account.platform, actual: target.platform });
    }
    let manifest: PluginManifest | undefined;
    try {
      manifest = this.host.manifest(account.pluginId);
    } catch (e) {
      v.push({ rule: 'plugin.not_loaded', message: `no loaded plugin publishes to ${account.platform} (${account.pluginId}: ${e instanceof Error ? e.message : String(e)})` });
    }
    v.push(...this.accountViolations(account, manifest));
    if (!manifest) return result(account.platform, account.pluginId, v);
    const refs: MediaRef[] = [];
    for (const m of media) {
      if ('violation' in m) v.push(m.violation);
      else refs.push(m.ref);
    }
    v.push(...(await this.pluginViolations(account.pluginId, postFor(content, account.platform), refs)));
    const caps = manifest.rateLimits
      .filter((r) => r.scope === 'account' && r.windowS >= DAY_S)
      .map((r) => ({ name: r.name, limit: r.limit, windowS: r.windowS, ...(r.resetZone ? { resetZone: r.resetZone } : {}) }));
    return result(account.platform, account.pluginId, v, caps);
  }

  private accountViolations(account: AccountRecord, manifest: PluginManifest | undefined): PreflightViolation[] {
    if (account.status === 'disconnected') return [{ rule: 'account.not_connected', field: 'targets', message: `account ${account.handle} is disconnected; connect it again` }];
    if (account.status === 'needs_reconnect') return [{ rule: 'account.not_authorised', field: 'targets', message: `account ${account.handle} must be reconnected (the platform refused its credentials)` }];
    const refreshable = manifest?.capabilities.includes('refresh') ?? false;
    if (account.expiresAt && !refreshable && account.expiresAt.getTime() <= this.clock.nowMs()) {
      return [{ rule: 'account.token_expired', field: 'targets', message: `the token of account ${account.handle} expired at ${account.expiresAt.toISOString()}; reconnect it` }];
    }
    return [];
  }

  private async pluginViolations(pluginId: string, post: PostContent, media: MediaRef[]): Promise<PreflightViolation[]> {
    try {
      const r = await this.host.call<ValidationResult>(pluginId, 'validate', { settings: {} }, [{ ...post, media }, media]);
      return r.value.violations.map((x) => ({ rule: x.rule, message: x.message, field: x.field, limit: x.limit, actual: x.actual }));
    } catch (e) {
      return [{ rule: 'plugin.validate_failed', message: `the ${pluginId} plugin could not check the post: ${e instanceof Error ? e.message : String(e)}` }];
    }
  }

  /** Each media id once, for every target: its ref, or why it can never be published. */
  private async lookupMedia(ctx: CommandContext, ids: readonly string[]): Promise<MediaLookup[]> {
    const out: MediaLookup[] = [];
    for (const [i, id] of ids.entries()) {
      const field = `mediaIds.${i}`;
      const reply = await this.bus.request(MediaGet, { assetId: id }, { ...ctx, actorId: 'publisher', role: 'system' });
      if (!reply.ok) {
        if (reply.error.status >= 500) throw new AppError('media_unavailable', `the media service could not describe media ${id}: ${reply.error.message}`, 503);
        out.push({ violation: { rule: 'media.not_found', field, message: `media ${id} does not exist` } });
        continue;
      }
      out.push(toLookup(reply.data, field));
    }
    return out;
  }
}

/** The content as the scheduler dispatches it to this platform (its override wins; see dispatch-message.ts). */
export function postFor(content: Content, platform: string): PostContent {
  const override = content.overrides[platform] ?? {};
  const text = typeof override['text'] === 'string' ? override['text'] : content.text;
  const title = typeof override['title'] === 'string' ? override['title'] : content.title;
  return { text, title, hashtags: content.hashtags, settings: override };
}

function toLookup(asset: MediaAsset, field: string): MediaLookup {
  if (asset.deletedAt) return { violation: { rule: 'media.deleted', field, message: `media ${asset.filename} is deleted` } };
  if (!['ready', 'processing', 'uploaded'].includes(asset.status)) {
    return { violation: { rule: 'media.unusable', field, message: `media ${asset.filename} is ${asset.status}${asset.statusDetail ? `: ${asset.statusDetail}` : ''}`, actual: asset.status } };
  }
  if (asset.kind !== 'image' && asset.kind !== 'video') {
    return { violation: { rule: `media.${asset.kind}.unsupported`, field, message: `${asset.kind} media (${asset.filename}) is not published by this platform`, actual: asset.kind } };
  }
  const m = asset.metadata;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    ref: {
      id: asset.id,
      kind: asset.kind === 'video' ? 'video' : asset.mime === 'image/gif' ? 'gif' : 'image',
      mimeType: asset.mime,
      sizeBytes: asset.bytes,
      width: num(m['width']),
      height: num(m['height']),
      durationS: num(m['durationS']) ?? num(m['duration']),
      altText: typeof m['altText'] === 'string' ? m['altText'] : undefined,
      filename: asset.filename,
    },
  };
}
