import type { Type } from '@nestjs/common';
import { AiTemplatesRoutesModule } from './ai-templates/ai-templates-routes.module';
import { MediaRoutesModule } from './media/media-routes.module';
import { PipelineRoutesModule } from './pipeline/pipeline-routes.module';
import { PublisherRoutesModule } from './publisher/publisher-routes.module';
import { SchedulerRoutesModule } from './scheduler/scheduler-routes.module';

/**
 * The services' REST route modules (each folder under routes/ is written by that service's
 * engineer with CommandProxy). A route module is listed here once it compiles; its routes are
 * then covered by the cross-workspace test and the OpenAPI document automatically.
 */
export const GATEWAY_ROUTE_MODULES: Type[] = [
  AiTemplatesRoutesModule,
  MediaRoutesModule,
  PipelineRoutesModule,
  PublisherRoutesModule,
  SchedulerRoutesModule,
];
