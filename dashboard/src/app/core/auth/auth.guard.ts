import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthStore } from './auth.store';

/** Lets a signed-in user through; otherwise tries the stored refresh token, then the login page. */
export const authGuard: CanActivateFn = async () => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  if (auth.signedIn()) return true;
  return (await auth.restore()) ? true : router.createUrlTree(['/login']);
};
