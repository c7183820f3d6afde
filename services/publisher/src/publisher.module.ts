import { Module, type Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import { OBJECT_STORAGE, type ObjectStorage } from '@sx/storage';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { dataSourceToken, PersistenceModule } from '@sx/persistence';
import type { Registry } from 'prom-client';
import { CLOCK, createLogger, HealthRegistry, METRICS, type Clock } from '@sx/service-kit';
import { AccountCaller } from './accounts/account-caller';
import { AccountsConsumer } from './accounts/accounts.consumer';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountsService } from './accounts/accounts.service';
import { OAuthStatesRepository } from './accounts/oauth-states.repository';
import { CredentialCipher } from './credentials/credential-cipher';
import { loadKeyRing } from './credentials/key-ring';
import { PLUGIN_HOST_OPTIONS, PluginHost, type PluginHostOptions } from './host/plugin-host.service';
import { PublisherMetrics } from './publisher.metrics';
import { PUBLISHER_MIGRATIONS } from './migrations/publisher-migrations';
import { AttemptsRepository } from './publishing/attempts.repository';
import { DispatchConsumer } from './publishing/dispatch.consumer';
import { OutcomeRecorder } from './publishing/outcome-recorder';
import { PublisherLiveness } from './publishing/publisher-liveness';
import { MediaResolver } from './publishing/media-resolver';
import { PublishService } from './publishing/publish.service';
import { AccountRateLimiter } from './publishing/rate-limiter';
import { RetryPolicy } from './publishing/retry-policy';
import { CREDENTIAL_CIPHER, PUBLISHER_LOGGER } from './publisher.tokens';
import { PreflightConsumer } from './preflight/preflight.consumer';
import { PreflightService } from './preflight/preflight.service';

export const PUBLISHER_SCHEMA = 'publisher';
/** Signed media URLs for pull-based platforms stay valid this long (they fetch within minutes of the call). */
const PUBLIC_MEDIA_URL_TTL_S = 2 * 3600;
const DB = dataSourceToken(PUBLISHER_SCHEMA);

const providers: Provider[] = [
  {
    provide: PUBLISHER_LOGGER,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => createLogger('publisher', config.logLevel),
  },
  {
    provide: CREDENTIAL_CIPHER,
    inject: [APP_CONFIG, PUBLISHER_LOGGER],
    useFactory: async (config: AppConfig, logger: Logger) => new CredentialCipher(await loadKeyRing(config, logger)),
  },
  { provide: PublisherMetrics, inject: [METRICS], useFactory: (registry: Registry) => new PublisherMetrics(registry) },
  { provide: PLUGIN_HOST_OPTIONS, inject: [PublisherMetrics], useFactory: (metrics: PublisherMetrics): PluginHostOptions => ({ metrics }) },
  PluginHost,
  { provide: AccountsRepository, inject: [DB, CREDENTIAL_CIPHER], useFactory: (db: DataSource, c: CredentialCipher) => new AccountsRepository(db, c) },
  { provide: OAuthStatesRepository, inject: [DB, CREDENTIAL_CIPHER], useFactory: (db: DataSource, c: CredentialCipher) => new OAuthStatesRepository(db, c) },
  { provide: AttemptsRepository, inject: [DB], useFactory: (db: DataSource) => new AttemptsRepository(db) },
  {
    provide: AccountCaller,
    inject: [PluginHost, AccountsRepository, CLOCK, PublisherMetrics],
    useFactory: (host: PluginHost, accounts: AccountsRepository, clock: Clock, metrics: PublisherMetrics) =>
      new AccountCaller(host, accounts, clock, metrics),
  },
  { provide: AccountRateLimiter, useFactory: () => new AccountRateLimiter() },
  {
    provide: AccountsService,
    inject: [PluginHost, AccountsRepository, OAuthStatesRepository, AccountCaller, CLOCK, AccountRateLimiter],
    useFactory: (host: PluginHost, a: AccountsRepository, s: OAuthStatesRepository, caller: AccountCaller, clock: Clock, limiter: AccountRateLimiter) =>
      new AccountsService(host, a, s, caller, clock, limiter),
  },
  {
    provide: PublishService,
    inject: [
      APP_CONFIG, CLOCK, EVENT_BUS, PluginHost, AccountsRepository, AccountCaller, AttemptsRepository, PUBLISHER_LOGGER, HealthRegistry,
      PublisherMetrics,
      AccountRateLimiter,
      PublisherLiveness,
      { token: OBJECT_STORAGE, optional: true },
    ],
    useFactory: (
      config: AppConfig,
      clock: Clock,
      bus: EventBus,
      host: PluginHost,
      accounts: AccountsRepository,
      caller: AccountCaller,
      attempts: AttemptsRepository,
      logger: Logger,
      health: HealthRegistry,
      metrics: PublisherMetrics,
      limiter: AccountRateLimiter,
      self: PublisherLiveness,
      storage: ObjectStorage | undefined,
    ) => {
      health.register('plugins', 'publisher', async () => {
        const list = host.list();
        const ready = list.filter((p) => p.status === 'ready').length;
        return { ok: true, detail: `${ready}/${list.length} plugins ready` };
      });
      return new PublishService({
        media: new MediaResolver(bus, storage, undefined, { publicBaseUrl: config.http.publicUrl, ttlS: PUBLIC_MEDIA_URL_TTL_S, clock }),
        host,
        accounts,
        caller,
        attempts,
        outcomes: new OutcomeRecorder(attempts, bus, clock, metrics),
        limiter,
        retry: new RetryPolicy(),
        clock,
        maxAttempts: config.plugins.maxAttempts,
        logger,
        self,
      });
    },
  },
  PublisherLiveness,
  {
    provide: PreflightService,
    inject: [PluginHost, AccountsRepository, EVENT_BUS, CLOCK],
    useFactory: (host: PluginHost, accounts: AccountsRepository, bus: EventBus, clock: Clock) => new PreflightService(host, accounts, bus, clock),
  },
  AccountsConsumer,
  DispatchConsumer,
  PreflightConsumer,
];

/**
 * The publisher: plugin host (one child process per plugin), accounts with envelope-encrypted
 * credentials, the attempts journal and the `dispatch.*` consumer. Relies on CoreModule's global
 * providers (APP_CONFIG, CLOCK, EVENT_BUS, HealthRegistry) and on BusModule for @OnEvent/@OnCommand.
 */
@Module({
  imports: [PersistenceModule.forService({ schema: PUBLISHER_SCHEMA, entities: [], migrations: PUBLISHER_MIGRATIONS })],
  providers,
  exports: [PluginHost, AccountCaller],
})
export class PublisherModule {}
