import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { toApiError } from '../api/api-error';

/** Toasts for results; errors show the API's own message (and its code for support). */
@Injectable({ providedIn: 'root' })
export class Notify {
  private readonly snack = inject(MatSnackBar);

  ok(message: string): void {
    this.snack.open(message, 'OK', { duration: 4000, panelClass: 'sx-toast-ok' });
  }

  error(err: unknown): void {
    const e = toApiError(err);
    this.snack.open(e.message, 'Dismiss', { duration: 8000, panelClass: 'sx-toast-error', politeness: 'assertive' });
  }
}
