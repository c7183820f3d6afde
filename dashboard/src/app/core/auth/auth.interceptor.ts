import { HttpErrorResponse, HttpEvent, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, catchError, from, switchMap, throwError } from 'rxjs';
import { AuthStore } from './auth.store';

const PUBLIC = ['/api/auth/login', '/api/auth/setup', '/api/auth/refresh'];

const isOwnApi = (url: string): boolean =>
  (url.startsWith('/api/') || url.startsWith('/media/')) && !PUBLIC.some((p) => url.startsWith(p));

const withToken = (req: HttpRequest<unknown>, token: string | null): HttpRequest<unknown> =>
  token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;

/** Adds the bearer token, refreshes it when stale or on a 401, and sends the user to login when that fails. */
export const authInterceptor: HttpInterceptorFn = (req, next): Observable<HttpEvent<unknown>> => {
  if (!isOwnApi(req.url)) return next(req);
  const auth = inject(AuthStore);
  const router = inject(Router);
  const send = (): Observable<HttpEvent<unknown>> => next(withToken(req, auth.accessToken));
  const refreshThen = (retry: () => Observable<HttpEvent<unknown>>, original: unknown) =>
    from(auth.refresh()).pipe(
      switchMap((ok) => {
        if (ok) return retry();
        void router.navigate(['/login']);
        return throwError(() => original);
      }),
    );
  const first: Observable<HttpEvent<unknown>> =
    auth.signedIn() && auth.expired ? refreshThen(send, new HttpErrorResponse({ status: 401 })) : send();
  return first.pipe(
    catchError((err: unknown) =>
      err instanceof HttpErrorResponse && err.status === 401 ? refreshThen(send, err) : throwError(() => err),
    ),
  );
};
