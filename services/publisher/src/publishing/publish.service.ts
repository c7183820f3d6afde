import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  DisconnectedError,
  OutcomeUnknownError,
  PluginError,
  RateLimitedError,
  RejectedError,
  RetryableError,
  type PublishPost,
  type PublishResult,
  type ReconcileResult,
  type ValidationResult,
} from '@sx/plugin-sdk';
import type { Clock } from '@sx/service-kit';
import type { AccountWithCredentials } from '../accounts/account.types';
import type { AccountCaller } from '../accounts/account-caller';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { PluginHost } from '../host/plugin-host.service';
import type { AttemptRecord, AttemptsRepository, NewAttempt } from './attempts.repository';
import { idempotencyKeyFor, type JobScope } from './dispatch.types';
import type { Outcome, OutcomeRecorder } from './outcome-recorder';
import type { MediaResolver, ResolvedMedia } from './media-resolver';
import type { AccountRateLimiter } from './rate-limiter';
import { BudgetBookings } from './budget-bookings';
import type { RetryPolicy } from './retry-policy';
import type { PublisherSelf } from './publisher-liveness';

type MediaFiles = ResolvedMedia['items'];

export interface PublishDeps {
  media: MediaResolver;
  host: PluginHost;
  accounts: AccountsRepository;
  caller: AccountCaller;
  attempts: AttemptsRepository;
  outcomes: OutcomeRecorder;
  limiter: AccountRateLimiter;
  retry: RetryPolicy;
  clock: Clock;
  maxAttempts: number;
  logger: Logger;
  /** This process's name and the liveness of others (defaults: a random name; nobody else counts as alive). */
  self?: PublisherSelf;
}

/** Always `ack`: a dispatch held back by a rate budget is deferred through the scheduler, never redelivered. */
export type DispatchDecision = { ack: true };

const ACK: DispatchDecision = { ack: true };

/**
 * One dispatched job → at most one platform post. The attempt is journaled before the plugin is
 * called; a redelivery that finds the attempt still `publishing` (we crashed mid-call) reconciles
 * instead of publishing again, and marks the job `unknown` when the plugin cannot tell.
 */
export class PublishService {
  private readonly self: PublisherSelf;
  /** Attempts (`job:attempt`) whose plugin call runs in this process right now. */
  private readonly calling = new Set<string>();
  private readonly budgets: BudgetBookings;

  constructor(private readonly d: PublishDeps) {
    this.self = d.self ?? { id: `publisher-${randomBytes(4).toString('hex')}`, alive: async () => false };
    this.budgets = new BudgetBookings(d.limiter);
  }

  async process(s: JobScope): Promise<DispatchDecision> {
    const { job, workspaceId } = s;
    this.d.logger.debug({ jobId: job.jobId, attempt: job.attempt, accountId: job.accountId }, 'dispatch received');
    await this.d.host.load(); // a dispatch arriving during start-up waits for the plugins, never fails on them
    const existing = await this.d.attempts.get(workspaceId, job.jobId, job.attempt);
    if (existing) return this.redelivered(s, existing);
    const latest = await this.d.attempts.latest(workspaceId, job.jobId);
    if (latest && (latest.attempt > job.attempt || latest.fencingToken > job.fencingToken)) {
      this.d.logger.info({ jobId: job.jobId, attempt: job.attempt }, 'stale dispatch dropped');
      return ACK;
    }
    const acct = await this.d.accounts.withCredentials(workspaceId, job.accountId);
    const pluginId = acct?.account.pluginId ?? null;
    const refusal = this.refusal(acct);
    if (refusal) return this.failWithoutCall(s, pluginId, refusal);
    const account = acct as AccountWithCredentials;
    const manifest = this.d.host.manifest(account.account.pluginId);
    const nowMs = this.d.clock.nowMs();
    const wait = this.budgets.take(job.jobId, account.account.id, manifest.rateLimits, nowMs);
    if (wait > 0) {
      const until = new Date(nowMs + wait);
      this.d.logger.debug({ jobId: job.jobId, until: until.toISOString() }, 'dispatch deferred by the account rate limit');
      await this.d.outcomes.deferred(s, until, `rate limit: the account's budget allows this post at ${until.toISOString()}`);
      return ACK;
    }

    const media = await this.resolveMedia(s);
    if ('message' in media) return this.failWithoutCall(s, pluginId, { errorClass: 'rejected', message: media.message });
    try {
      return await this.journalAndPublish(s, account, pluginId, media.items);
    } finally {
      await media.cleanup();
    }
  }

  private async journalAndPublish(s: JobScope, account: AccountWithCredentials, pluginId: string | null, files: MediaFiles): Promise<DispatchDecision> {
    const { job } = s;
    const post: PublishPost = { ...job.content, media: files.map((f) => f.ref) };
    const validation = await this.d.host.call<ValidationResult>(account.account.pluginId, 'validate', { settings: {} }, [post, post.media]);
    if (!validation.value.ok) {
      const rules = validation.value.violations.map((v) => `${v.rule}: ${v.message}`).join('; ');
      return this.failWithoutCall(s, pluginId, { errorClass: 'rejected', message: `refused before publishing: ${rules}` });
    }
    const key = idempotencyKeyFor(job.jobId);
    const started = await this.d.attempts.start(this.newAttempt(s, pluginId));
    if (!started) return ACK; // a concurrent delivery recorded it first and owns the call
    this.d.logger.debug({ jobId: job.jobId, attempt: job.attempt }, 'attempt journaled; calling the plugin');
    const calling = `${job.jobId}:${job.attempt}`;
    this.calling.add(calling);
    let outcome: Outcome;
    let applied: boolean;
    try {
      await this.d.outcomes.publishing(s, key, this.self.id);
      outcome = await this.publish(s, account, post, key, files);
      applied = await this.d.outcomes.record(s, outcome);
    } finally {
      this.calling.delete(calling);
    }
    this.d.logger.debug({ jobId: job.jobId, attempt: job.attempt, status: outcome.status, applied }, 'attempt finished');
    return ACK;
  }

  private async redelivered(s: JobScope, row: AttemptRecord): Promise<DispatchDecision> {
    if (s.job.fencingToken < row.fencingToken) return ACK;
    if (row.status !== 'publishing') {
      await this.d.outcomes.replay(s, row);
      return ACK;
    }
    // A copy of a dispatch whose call is still running (here, or in another publisher that is alive): that
    // call reports the outcome; reconciling beside it could publish twice.
    if (this.calling.has(`${row.jobId}:${row.attempt}`)) return ACK;
    if (row.owner && row.owner !== this.self.id && (await this.self.alive(row.owner))) {
      this.d.logger.info({ jobId: row.jobId, attempt: row.attempt, owner: row.owner }, 'attempt still in progress in a live publisher; copy dropped');
      return ACK;
    }
    // The previous delivery recorded the attempt and its publisher is gone: the platform may have the post.
    const acct = await this.d.accounts.withCredentials(s.workspaceId, row.accountId);
    const media = await this.resolveMedia(s);
    let outcome: Outcome;
    if (!acct) outcome = { status: 'unknown', message: 'the account was removed while the post was being published' };
    else if ('message' in media) outcome = { status: 'unknown', message: `the publisher stopped during the call and ${media.message}` };
    else {
      try {
        const post = { ...s.job.content, media: media.items.map((f) => f.ref) };
        outcome = await this.reconcile(s, acct, post, row.idempotencyKey, 'the publisher stopped during the call', media.items);
      } finally {
        await media.cleanup();
      }
    }
    await this.d.outcomes.record({ ...s, job: { ...s.job, fencingToken: row.fencingToken } }, outcome);
    return ACK;
  }

  private async publish(s: JobScope, acct: AccountWithCredentials, post: PublishPost, key: string, files: MediaFiles): Promise<Outcome> {
    try {
      const r = await this.d.caller.call<PublishResult>(acct, 'publish', { idempotencyKey: key, attempt: s.job.attempt, media: files }, [post]);
      this.d.limiter.observe(acct.account.id, r.rateLimit, this.d.clock.nowMs());
      return { status: 'published', platformPostId: r.value.platformPostId, url: r.value.url, publishedAt: r.value.publishedAt };
    } catch (e) {
      if (e instanceof OutcomeUnknownError) return this.reconcile(s, acct, post, key, e.message, files);
      return await this.classify(s, acct, e);
    }
  }

  private async reconcile(s: JobScope, acct: AccountWithCredentials, post: PublishPost, key: string, why: string, files: MediaFiles): Promise<Outcome> {
    let capable = false;
    try {
      capable = this.d.host.manifest(acct.account.pluginId).capabilities.includes('reconcile');
    } catch {
      capable = false;
    }
    if (!capable) return { status: 'unknown', message: `${why}; the plugin cannot look the post up, so a person must check` };
    try {
      const r = await this.d.caller.call<ReconcileResult>(acct, 'reconcile', { idempotencyKey: key, attempt: s.job.attempt, media: files }, [post]);
      if (r.value.status === 'found') {
        return { status: 'published', platformPostId: r.value.platformPostId, url: r.value.url, publishedAt: r.value.publishedAt };
      }
      if (r.value.status === 'not_found') return this.publishAfterNotFound(s, acct, post, key, files);
      return { status: 'unknown', message: `${why}; reconcile could not tell: ${r.value.reason}` };
    } catch (e) {
      return { status: 'unknown', message: `${why}; reconcile failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** Reconcile proved the platform has no post with our key: publishing now cannot duplicate it. */
  private async publishAfterNotFound(s: JobScope, acct: AccountWithCredentials, post: PublishPost, key: string, files: MediaFiles): Promise<Outcome> {
    try {
      const r = await this.d.caller.call<PublishResult>(acct, 'publish', { idempotencyKey: key, attempt: s.job.attempt, media: files }, [post]);
      return { status: 'published', platformPostId: r.value.platformPostId, url: r.value.url, publishedAt: r.value.publishedAt };
    } catch (e) {
      if (e instanceof OutcomeUnknownError) return { status: 'unknown', message: `outcome unknown twice: ${e.message}` };
      return await this.classify(s, acct, e);
    }
  }

  private async classify(s: JobScope, acct: AccountWithCredentials, e: unknown): Promise<Outcome> {
    const err = e instanceof PluginError ? e : new OutcomeUnknownError(String(e));
    const nowMs = this.d.clock.nowMs();
    if (err instanceof RateLimitedError) this.d.limiter.blockUntil(acct.account.id, err.resetAt.getTime());
    if (err instanceof RetryableError || err instanceof RateLimitedError) {
      // Calls tried, from the journal: a job's attempt number also counts dispatches a rate budget deferred.
      const tried = await this.d.attempts.count(s.workspaceId, s.job.jobId);
      if (tried >= this.d.maxAttempts) {
        return { status: 'failed', errorClass: err.errorClass, message: `gave up after ${tried} attempts: ${err.message}` };
      }
      const minimum = err instanceof RateLimitedError ? err.resetAt.getTime() - nowMs : (err.retryAfterMs ?? 0);
      return { status: 'retrying', errorClass: err.errorClass, message: err.message, retryAt: new Date(nowMs + this.d.retry.delayMs(tried, minimum)) };
    }
    if (err instanceof DisconnectedError) {
      void this.d.accounts.setStatus(s.workspaceId, acct.account.id, 'needs_reconnect', this.d.clock.now()).catch(() => undefined);
    }
    return { status: 'failed', errorClass: err.errorClass, message: err.message };
  }

  private refusal(acct: AccountWithCredentials | undefined): { errorClass: 'disconnected' | 'rejected'; message: string } | undefined {
    if (!acct) return { errorClass: 'disconnected', message: 'the account is not connected' };
    if (acct.account.status !== 'active') return { errorClass: 'disconnected', message: `the account is ${acct.account.status}` };
    try {
      this.d.host.manifest(acct.account.pluginId);
    } catch (e) {
      return { errorClass: 'disconnected', message: e instanceof Error ? e.message : String(e) };
    }
    return undefined;
  }

  /** Media files for the call, or why the post cannot be published (permanent); transient problems throw (redelivery). */
  private async resolveMedia(s: JobScope): Promise<ResolvedMedia | { message: string }> {
    try {
      return await this.d.media.resolve(s.workspaceId, s.correlationId, s.job.content.mediaIds, s.job.platform);
    } catch (e) {
      if (e instanceof RejectedError) return { message: e.message };
      throw e;
    }
  }

  /** Journals a failed attempt without any platform call (so the outcome is replayable) and reports it. */
  private async failWithoutCall(
    s: JobScope,
    pluginId: string | null,
    f: { errorClass: 'disconnected' | 'rejected'; message: string },
  ): Promise<DispatchDecision> {
    await this.d.outcomes.failedBeforeCall(s, this.newAttempt(s, pluginId), { status: 'failed', ...f });
    return ACK;
  }

  private newAttempt(s: JobScope, pluginId: string | null): NewAttempt {
    const { job } = s;
    return {
      jobId: job.jobId,
      attempt: job.attempt,
      workspaceId: s.workspaceId,
      postId: job.postId,
      targetId: job.targetId,
      accountId: job.accountId,
      pluginId,
      platform: job.platform,
      fencingToken: job.fencingToken,
      idempotencyKey: idempotencyKeyFor(job.jobId),
      status: 'publishing',
      startedAt: this.d.clock.now(),
      owner: this.self.id,
    };
  }
}
