import type { CommandError } from '@sx/contracts';

/**
 * The one error type services throw on purpose. `code` is machine-readable (snake_case),
 * `message` is for people, `status` is the HTTP status the gateway answers with.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toCommandError(): CommandError {
    return { code: this.code, message: this.message, status: this.status, details: this.details };
  }

  static notFound(what: string, id: string): AppError {
    return new AppError('not_found', `${what} ${id} was not found`, 404);
  }

  static validation(message: string, details?: unknown): AppError {
    return new AppError('validation_failed', message, 422, details);
  }

  static conflict(code: string, message: string, details?: unknown): AppError {
    return new AppError(code, message, 409, details);
  }
}
