import { OutcomeUnknownError, RejectedError } from '@sx/plugin-sdk';
import type { FaultKind } from './plugin-process';

/**
 * The plugin process crashed, hung or ran out of memory during a call. For publish this is an
 * ambiguous outcome (the platform may have acted), so it is an OutcomeUnknownError.
 */
export class PluginFaultError extends OutcomeUnknownError {
  constructor(
    readonly fault: FaultKind,
    message: string,
  ) {
    super(message);
    this.name = 'PluginFaultError';
  }
}

/** The plugin is not loaded, failed to load or is quarantined: no call reaches it. */
export class PluginUnavailableError extends RejectedError {
  constructor(
    readonly pluginId: string,
    readonly reason: string,
  ) {
    super(`plugin ${pluginId} is unavailable: ${reason}`);
    this.name = 'PluginUnavailableError';
  }
}
