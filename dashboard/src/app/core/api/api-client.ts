import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { toApiError } from './api-error';

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;
export type Query = Record<string, QueryValue>;

/** Builds query params, dropping empty values so filters left blank are not sent. */
export function toParams(query: Query | undefined): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params = params.set(key, value.join(','));
    } else {
      params = params.set(key, String(value));
    }
  }
  return params;
}

/** Thin promise-based wrapper over HttpClient; every failure becomes an ApiError. */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  async get<T>(path: string, query?: Query): Promise<T> {
    return this.call(() => firstValueFrom(this.http.get<T>(path, { params: toParams(query) })));
  }

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.call(() => firstValueFrom(this.http.post<T>(path, body)));
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return this.call(() => firstValueFrom(this.http.put<T>(path, body)));
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return this.call(() => firstValueFrom(this.http.patch<T>(path, body)));
  }

  async delete<T = void>(path: string): Promise<T> {
    return this.call(() => firstValueFrom(this.http.delete<T>(path)));
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw toApiError(err);
    }
  }
}

/** Encode one path segment (ids come from the server, but never trust them in a URL). */
export const seg = (value: string): string => encodeURIComponent(value);
