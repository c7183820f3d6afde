import { bootstrapService } from '@sx/runtime';
import { PipelineModule } from './index';

bootstrapService('pipeline', PipelineModule).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
