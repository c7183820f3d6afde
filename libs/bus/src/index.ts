export * from './event-bus';
export type { Timers, TimerHandle } from './core/timers';
export { systemTimers } from './core/timers';
export type { BusLogger } from './core/logger';
export { defaultRetryBackoff } from './core/run-delivery';
export { InProcessEventBus, type InProcessEventBusOptions } from './in-process/in-process-event-bus';
