export { createServiceDataSource, type ServiceDataSourceOptions } from './service-data-source';
export {
  PersistenceModule,
  dataSourceToken,
  InjectDataSource,
  type PersistenceForServiceOptions,
} from './persistence.module';
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
export { assertSchemaName } from './schema-name';
export { LIVENESS, OwnerLiveness, ownerAliveSql, type LivenessKind } from './owner-liveness';
