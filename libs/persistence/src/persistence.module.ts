import { DynamicModule, Inject, Module, type Provider } from '@nestjs/common';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { HealthRegistry } from '@sx/service-kit';
import { createServiceDataSource } from './service-data-source';
import { assertSchemaName } from './schema-name';

export interface PersistenceForServiceOptions {
  schema: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/** Per-schema token: several services share one process in embedded mode, so tokens must not collide. */
export function dataSourceToken(schema: string): symbol {
  return Symbol.for(`sx.persistence.data-source.${schema}`);
}

/** `constructor(@InjectDataSource('scheduler') private readonly db: DataSource)` */
export function InjectDataSource(schema: string): PropertyDecorator & ParameterDecorator {
  return Inject(dataSourceToken(schema));
}

interface ShutdownHook {
  onApplicationShutdown(): Promise<void>;
}

/**
 * `PersistenceModule.forService({ schema, entities, migrations })` gives a service its own
 * DataSource (migrated at start) from `config.database.url`, a `database:<schema>` readiness
 * check, and closes the pool on application shutdown.
 */
@Module({})
export class PersistenceModule {
  static forService(opts: PersistenceForServiceOptions): DynamicModule {
    assertSchemaName(opts.schema);
    const token = dataSourceToken(opts.schema);
    const dataSourceProvider: Provider = {
      provide: token,
      inject: [APP_CONFIG, HealthRegistry],
      useFactory: async (config: AppConfig, health: HealthRegistry): Promise<DataSource> => {
        if (!config.database.url) {
          throw new Error(
            `database.url is not set: the composition root must start PostgreSQL (embedded) or SX_DATABASE_URL must be given`,
          );
        }
        const dataSource = await createServiceDataSource({
          url: config.database.url,
          schema: opts.schema,
          entities: opts.entities,
          migrations: opts.migrations,
          poolSize: config.database.poolSize,
        });
        health.register(`database:${opts.schema}`, opts.schema, async () => {
          await dataSource.query('SELECT 1');
          return { ok: true };
        });
        return dataSource;
      },
    };
    const closer: Provider = {
      provide: Symbol.for(`sx.persistence.closer.${opts.schema}`),
      inject: [token],
      useFactory: (dataSource: DataSource): ShutdownHook => ({
        async onApplicationShutdown() {
          if (dataSource.isInitialized) await dataSource.destroy();
        },
      }),
    };
    return { module: PersistenceModule, providers: [dataSourceProvider, closer], exports: [token] };
  }
}
