import { AppError } from '@sx/service-kit';
import { PluginError, RejectedError } from '@sx/plugin-sdk';
import { PluginFaultError, PluginUnavailableError } from '../host/plugin-errors';

/** Turns what a plugin call threw into a coded API error (never a 500, never a credential). */
export function toAppError(e: unknown, what: string): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof PluginUnavailableError) return new AppError('plugin_unavailable', e.message, 409);
  if (e instanceof PluginFaultError) return new AppError('plugin_failed', `${what}: the plugin failed (${e.fault})`, 502);
  if (e instanceof RejectedError) {
    return new AppError('platform_rejected', `${what}: ${e.message}`, 422, e.violations.length ? { violations: e.violations } : undefined);
  }
  if (e instanceof PluginError) {
    switch (e.errorClass) {
      case 'auth_expired':
      case 'disconnected':
        return new AppError('credentials_refused', `${what}: the platform refused the credentials`, 422);
      case 'rate_limited':
      case 'retryable':
        return new AppError('platform_unavailable', `${what}: the platform is busy or down, try again later`, 503);
      default:
        return new AppError('platform_unknown', `${what}: the platform gave no clear answer`, 502);
    }
  }
  return new AppError('publisher_error', `${what} failed`, 500);
}
