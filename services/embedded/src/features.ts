import type { DynamicModule, Type } from '@nestjs/common';
import { AiTemplatesModule } from '@sx/ai-templates';
import { GatewayModule } from '@sx/gateway';
import { MediaModule } from '@sx/media';
import { PipelineModule } from '@sx/pipeline';
import { PublisherModule } from '@sx/publisher';
import { SchedulerModule } from '@sx/scheduler';

/** Every feature module the embedded process mounts: the gateway and each service. */
export const EMBEDDED_FEATURES: (Type | DynamicModule)[] = [GatewayModule, MediaModule, SchedulerModule, PublisherModule, AiTemplatesModule, PipelineModule];
