import { bootstrapService } from '@sx/runtime';
import { AiTemplatesModule } from './index';

bootstrapService('ai-templates', AiTemplatesModule).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
