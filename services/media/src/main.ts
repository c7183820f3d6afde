import { bootstrapService } from '@sx/runtime';
import { MediaModule } from './index';

bootstrapService('media', MediaModule).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
