import type { PublishJobState } from '@sx/contracts';

/** Who may trigger a transition. */
export type Trigger = 'scheduler' | 'publisher' | 'user' | 'task';

export interface LifecycleRule {
  by: Trigger;
  /** States the transition always applies from. */
  from: readonly PublishJobState[];
  /**
   * States it applies from only while the job is stuck (see STUCK below): in flight, but its holder is gone
   * or nothing has moved it for longer than the late-alert threshold.
   */
  stuckFrom?: readonly PublishJobState[];
  to: PublishJobState;
}

/** A job's states before it fires: waiting for its instant, held in a timer heap, or held by a paused task. */
export const UNFIRED: readonly PublishJobState[] = ['pending', 'armed', 'retry_wait', 'paused'];
/** In flight: handed to the publisher, whose outcome has not arrived. */
export const IN_FLIGHT: readonly PublishJobState[] = ['dispatched', 'publishing'];
export const TERMINAL: readonly PublishJobState[] = ['published', 'failed', 'cancelled'];

/**
 * The publish-job lifecycle: every transition any code applies, from which states, and who triggers it.
 * The SQL of every transition takes its states from here (jobRepository.transition for the tenant-scoped
 * ones, DispatchRepository for the dispatcher's fenced ones); nothing else writes a job's state.
 */
export const JOB_LIFECYCLE = {
  // The dispatcher (scheduler), fenced by lease and token.
  claim: { by: 'scheduler', from: ['pending', 'retry_wait'], to: 'armed' },
  dispatch: { by: 'scheduler', from: ['armed'], to: 'dispatched' },
  skipLate: { by: 'scheduler', from: ['armed'], to: 'cancelled' },
  completePipeline: { by: 'scheduler', from: ['dispatched'], to: 'published' },
  // The publisher's outcome events (conditional on job id + attempt).
  publishing: { by: 'publisher', from: ['dispatched'], to: 'publishing' },
  published: { by: 'publisher', from: ['dispatched', 'publishing', 'unknown'], to: 'published' },
  failed: { by: 'publisher', from: ['dispatched', 'publishing'], to: 'failed' },
  retrying: { by: 'publisher', from: ['dispatched', 'publishing'], to: 'retry_wait' },
  unknown: { by: 'publisher', from: ['dispatched', 'publishing'], to: 'unknown' },
  // The account's rate budget held the dispatch back before any call: wait for the instant it allows.
  deferred: { by: 'publisher', from: ['dispatched'], to: 'retry_wait' },
  // A message about the job reached the bus's dead letters (publisher or outcome consumer gave up on it).
  // Dispatch never handled: failed; a call may have run, or an outcome was not applied: unknown (a person checks).
  deadLetterFailed: { by: 'scheduler', from: ['dispatched'], to: 'failed' },
  deadLetterUnknown: { by: 'scheduler', from: ['dispatched', 'publishing'], to: 'unknown' },
  // A person, through the API.
  // Replaying a dead letter puts its message back on the bus: the job is in flight again.
  replayDispatch: { by: 'user', from: ['failed', 'unknown'], to: 'dispatched' },
  replayOutcome: { by: 'user', from: ['unknown'], to: 'publishing' },
  cancel: { by: 'user', from: UNFIRED, stuckFrom: ['dispatched'], to: 'cancelled' },
  deletePost: { by: 'user', from: UNFIRED, stuckFrom: ['dispatched'], to: 'cancelled' },
  restorePost: { by: 'user', from: ['cancelled'], to: 'pending' },
  replaceByReschedule: { by: 'user', from: UNFIRED, to: 'cancelled' },
  force: { by: 'user', from: ['pending', 'armed', 'retry_wait'], stuckFrom: ['dispatched'], to: 'pending' },
  settleByPostNow: { by: 'user', from: UNFIRED, to: 'cancelled' },
  /** A scheduled-post edit removed the job's target account. */
  dropTarget: { by: 'user', from: UNFIRED, to: 'cancelled' },
  retry: { by: 'user', from: ['failed'], stuckFrom: ['dispatched'], to: 'pending' },
  resolvePublished: { by: 'user', from: ['unknown'], stuckFrom: IN_FLIGHT, to: 'published' },
  resolveFailed: { by: 'user', from: ['unknown'], stuckFrom: IN_FLIGHT, to: 'failed' },
  // A recurring task's own lifecycle (pause, resume, replace, delete).
  pauseTask: { by: 'task', from: ['pending', 'armed', 'retry_wait'], to: 'paused' },
  resumeTask: { by: 'task', from: ['paused'], to: 'pending' },
  replaceTask: { by: 'task', from: UNFIRED, to: 'cancelled' },
  deleteTask: { by: 'task', from: UNFIRED, to: 'cancelled' },
} as const satisfies Record<string, LifecycleRule>;

export type JobTransition = keyof typeof JOB_LIFECYCLE;
export type TransitionBy<T extends Trigger> = { [K in JobTransition]: (typeof JOB_LIFECYCLE)[K]['by'] extends T ? K : never }[JobTransition];

export function rule(name: JobTransition): LifecycleRule {
  return JOB_LIFECYCLE[name];
}

/** A state list as SQL literals, for the dispatcher's statements whose plans rely on literal predicates. */
export function sqlStates(states: readonly PublishJobState[]): string {
  return states.map((s) => `'${s}'`).join(', ');
}
