import { Global, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { CommandContext, CommandReply } from '@sx/contracts';
import { AppError, HealthRegistry, currentCorrelationId } from '@sx/service-kit';
import { EVENT_BUS, type Delivery } from '../event-bus';
import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { BusTestEcho, BusTestEvent } from '../testing/test-definitions';
import { waitFor } from '../testing/wait-for';
import { OnCommand, OnEvent } from './bus.decorators';
import { BusModule } from './bus.module';

@Injectable()
class AuditConsumer {
  readonly seen: { n: number; correlationId?: string }[] = [];

  /** Idempotency: test consumer, records every delivery. */
  @OnEvent(BusTestEvent, { durable: 'nest-audit', subject: 'audit.bustest.nest' })
  async onAudit(delivery: Delivery<{ n: number }>): Promise<void> {
    this.seen.push({ n: delivery.envelope.data.n, correlationId: currentCorrelationId() });
  }

  @OnCommand(BusTestEcho)
  async echo(req: { text: string }, ctx: CommandContext): Promise<CommandReply<{ text: string }>> {
    if (req.text === 'no') throw new AppError('said_no', 'the handler said no', 409);
    return { ok: true, data: { text: `${req.text} from ${ctx.actorId}` } };
  }
}

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', role: 'admin', correlationId: 'corr-nest' };

describe('BusModule', () => {
  it('subscribes decorated methods at boot, reports readiness, and lets go at shutdown', async () => {
    const bus = new InProcessEventBus();
    // Stands in for CoreModule, which provides EVENT_BUS and HealthRegistry globally.
    @Global()
    @Module({ providers: [{ provide: EVENT_BUS, useValue: bus }, HealthRegistry], exports: [EVENT_BUS, HealthRegistry] })
    class FakeCoreModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [FakeCoreModule, BusModule],
      providers: [AuditConsumer],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const consumer = app.get(AuditConsumer);

    await bus.publish(BusTestEvent, { n: 4 }, { workspaceId: 'ws-1', correlationId: 'corr-ev', subject: 'audit.bustest.nest' });
    await waitFor(() => consumer.seen.length === 1, 'the decorated consumer');
    expect(consumer.seen).toEqual([{ n: 4, correlationId: 'corr-ev' }]);

    expect(await bus.request(BusTestEcho, { text: 'hi', mode: 'echo' }, ctx)).toEqual({ ok: true, data: { text: 'hi from u-1' } });
    expect(await bus.request(BusTestEcho, { text: 'no', mode: 'echo' }, ctx)).toMatchObject({ ok: false, error: { code: 'said_no', status: 409 } });

    const report = await app.get(HealthRegistry).report();
    expect(report.checks['bus']).toEqual({ ok: true, detail: 'in-process', component: 'bus' });

    await app.close();
    expect((await bus.health()).ok).toBe(false);
  });
});
