export * from './event-bus';
export type { Timers, TimerHandle } from './core/timers';
export { systemTimers, withTimeout } from './core/timers';
export type { BusLogger } from './core/logger';
export { defaultRetryBackoff } from './core/run-delivery';
export { serviceUnavailable } from './core/command-runner';
export { InProcessEventBus, type InProcessEventBusOptions } from './in-process/in-process-event-bus';
export { JetStreamEventBus, type JetStreamEventBusOptions } from './jetstream/jetstream-event-bus';
export { PostgresEventBus, type PostgresEventBusOptions } from './postgres/postgres-event-bus';
export { createEventBus, type CreateEventBusOptions } from './create-event-bus';
// Test helpers (no jest dependency): a manual clock + timers for deterministic delay tests.
export { ManualTime, flushMicrotasks } from './testing/manual-time';
export { OnEvent, OnCommand, ON_EVENT_METADATA, ON_COMMAND_METADATA, type OnEventMetadata, type OnCommandMetadata } from './nest/bus.decorators';
export { BusModule } from './nest/bus.module';
export { buildEnvelope } from './core/envelope';
export { createOutboxMigration, outboxChannel, type OutboxMigrationClass } from './outbox/outbox.migration';
export { appendToOutbox } from './outbox/append-to-outbox';
export { OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay';
