import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { HealthRegistry } from '@sx/service-kit';
import { EVENT_BUS, type CommandHandler, type EventBus, type EventHandler, type Subscription } from '../event-bus';
import { ON_COMMAND_METADATA, ON_EVENT_METADATA, type OnCommandMetadata, type OnEventMetadata } from './bus.decorators';

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * At boot: starts the bus, registers its readiness check, and subscribes every @OnEvent / @OnCommand
 * method of every provider in the application. At shutdown: unsubscribes them and closes the bus.
 */
@Injectable()
export class BusExplorer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BusModule');
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.start();
    this.health.register('bus', 'bus', async () => {
      const h = await this.bus.health();
      return { ok: h.ok, detail: h.detail ?? h.driver };
    });
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        await this.bind(instance as Record<string, Method>, name);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const s of this.subscriptions.splice(0)) await s.unsubscribe().catch(() => undefined);
    await this.bus.close();
  }

  private async bind(instance: Record<string, Method>, name: string): Promise<void> {
    const method = instance[name];
    const onEvent = this.reflector.get<OnEventMetadata | undefined>(ON_EVENT_METADATA, method);
    if (onEvent) {
      const handler: EventHandler<unknown> = async (delivery) => void (await method.call(instance, delivery));
      this.subscriptions.push(await this.bus.subscribe(onEvent.def, handler, onEvent.options));
      this.logger.log(`${instance.constructor.name}.${name} consumes ${onEvent.options.subject ?? onEvent.def.subject} as ${onEvent.options.durable}`);
    }
    const onCommand = this.reflector.get<OnCommandMetadata | undefined>(ON_COMMAND_METADATA, method);
    if (onCommand) {
      const handler = ((request, ctx) => method.call(instance, request, ctx)) as CommandHandler<typeof onCommand.def>;
      this.subscriptions.push(await this.bus.handle(onCommand.def, handler));
      this.logger.log(`${instance.constructor.name}.${name} handles ${onCommand.def.subject}`);
    }
  }
}
