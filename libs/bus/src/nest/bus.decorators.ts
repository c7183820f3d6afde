import { SetMetadata } from '@nestjs/common';
import type { CommandDefinition, EventDefinition } from '@sx/contracts';
import type { SubscribeOptions } from '../event-bus';

export const ON_EVENT_METADATA = 'sx:bus:on-event';
export const ON_COMMAND_METADATA = 'sx:bus:on-command';

export interface OnEventMetadata {
  def: EventDefinition;
  options: SubscribeOptions;
}

export interface OnCommandMetadata {
  def: CommandDefinition;
}

/**
 * Marks a provider method `(delivery: Delivery<T>) => Promise<void>` as a durable consumer of `def`.
 * Returning acks, throwing retries with backoff; see EventHandler. BusModule subscribes it at boot.
 */
export const OnEvent = (def: EventDefinition, options: SubscribeOptions): MethodDecorator =>
  SetMetadata<string, OnEventMetadata>(ON_EVENT_METADATA, { def, options });

/**
 * Marks a provider method `(request, ctx) => Promise<CommandReply<Res>>` as the handler of `def`
 * (one queue group per service). A thrown AppError becomes `{ ok: false, error }`.
 */
export const OnCommand = (def: CommandDefinition): MethodDecorator =>
  SetMetadata<string, OnCommandMetadata>(ON_COMMAND_METADATA, { def });
