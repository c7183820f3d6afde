export { SchedulerModule, SCHEDULER_MIGRATIONS } from './scheduler.module';
export { DispatcherService, SCHEDULER_TIMERS } from './dispatch/dispatcher.service';
