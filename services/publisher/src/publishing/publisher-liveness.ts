import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { dataSourceToken, OwnerLiveness, ownerAliveSql } from '@sx/persistence';

/** How this publisher process names itself, and asks whether another one still runs. */
export interface PublisherSelf {
  readonly id: string;
  alive(owner: string): Promise<boolean>;
}

const CHECK_EVERY_MS = 5_000;

/**
 * This publisher's liveness lock (see OwnerLiveness), held from bootstrap to shutdown: the scheduler
 * re-dispatches a `publishing` job only once its publisher's lock is free, and a redelivered attempt is
 * reconciled only when the process that started its call is gone.
 */
@Injectable()
export class PublisherLiveness implements PublisherSelf, OnApplicationBootstrap, OnApplicationShutdown {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly lock: OwnerLiveness;
  private timer?: NodeJS.Timeout;

  constructor(@Inject(dataSourceToken('publisher')) private readonly db: DataSource) {
    this.lock = new OwnerLiveness(db, 'publisher', this.id);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.lock.ensure();
    this.timer = setInterval(() => void this.lock.ensure().catch(() => undefined), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.lock.stop();
  }

  async alive(owner: string): Promise<boolean> {
    if (owner === this.id) return true;
    const [r] = (await this.db.query(`SELECT ${ownerAliveSql('publisher', '$1::text')} AS alive`, [owner])) as { alive: boolean }[];
    return r?.alive === true;
  }
}
