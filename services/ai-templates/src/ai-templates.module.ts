import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@sx/config';
import { dataSourceToken, PersistenceModule } from '@sx/persistence';
import { CLOCK, HealthRegistry, type Clock } from '@sx/service-kit';
import { MetadataGenerator } from './generation/metadata-generator';
import { AiTemplatesInit1763800000000 } from './migrations/1763800000000-ai-templates-init';
import { AI_PROVIDER, type AiProvider } from './providers/ai-provider';
import { createAiProvider } from './providers/provider.factory';
import { AI_SCHEMA, GenerationEntity, TemplateEntity } from './templates/template.entity';
import { TemplatesConsumer } from './templates/templates.consumer';
import { TemplatesRepository } from './templates/templates.repository';
import { TemplatesService } from './templates/templates.service';

/** Prompt templates (one active per workspace) and metadata generation through the configured provider. */
@Module({
  imports: [
    PersistenceModule.forService({
      schema: AI_SCHEMA,
      entities: [TemplateEntity, GenerationEntity],
      migrations: [AiTemplatesInit1763800000000],
    }),
  ],
  providers: [
    {
      provide: AI_PROVIDER,
      inject: [APP_CONFIG, HealthRegistry],
      useFactory: (config: AppConfig, health: HealthRegistry): AiProvider => {
        const provider = createAiProvider(config.ai);
        health.register('ai-provider', 'ai-templates', async () => ({
          ok: true,
          detail: provider.offline ? 'offline generator (no AI provider configured)' : provider.name,
        }));
        return provider;
      },
    },
    {
      provide: TemplatesRepository,
      inject: [dataSourceToken(AI_SCHEMA)],
      useFactory: (db: DataSource) => new TemplatesRepository(db),
    },
    {
      provide: MetadataGenerator,
      inject: [AI_PROVIDER, CLOCK],
      useFactory: (provider: AiProvider, clock: Clock) => new MetadataGenerator(provider, clock),
    },
    {
      provide: TemplatesService,
      inject: [TemplatesRepository, MetadataGenerator],
      useFactory: (repo: TemplatesRepository, generator: MetadataGenerator) => new TemplatesService(repo, generator),
    },
    TemplatesConsumer,
  ],
})
export class AiTemplatesModule {}
