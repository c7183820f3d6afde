import { HttpInterceptorFn } from '@angular/common/http';
import { apiUrl } from './api-base';

const API_PATHS = ['/api/', '/media/', '/storage/'];

/** Sends API calls to the configured API origin (runs after the auth interceptor, which matches on `/api/`). */
export const apiBaseInterceptor: HttpInterceptorFn = (req, next) =>
  API_PATHS.some((p) => req.url.startsWith(p)) ? next(req.clone({ url: apiUrl(req.url) })) : next(req);
