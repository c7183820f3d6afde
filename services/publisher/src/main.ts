import { bootstrapService } from '@sx/runtime';
import { PublisherModule } from './index';

bootstrapService('publisher', PublisherModule).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
