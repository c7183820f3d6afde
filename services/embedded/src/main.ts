import 'reflect-metadata';
import { loadConfig } from '@sx/config';
import { createLogger } from '@sx/service-kit';
import { startEmbedded } from './start-embedded';

const log = createLogger('schedulerx');

/** `npm start`: the whole platform in one process; stops PostgreSQL too on SIGINT/SIGTERM. */
startEmbedded(loadConfig())
  .then((platform) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping SchedulerX');
      platform.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err: err instanceof Error ? err.message : String(err) }, 'unclean stop');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  })
  .catch((err: unknown) => {
    log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'SchedulerX failed to start');
    process.exit(1);
  });
