import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { FakeTime, provideFakeTime } from '../util/testing';
import { authInterceptor } from './auth.interceptor';
import { AuthStore, readIdentity } from './auth.store';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '');
const jwt = (claims: object) => `${b64({ alg: 'EdDSA' })}.${b64(claims)}.sig`;

describe('auth interceptor and store', () => {
  let http: HttpTestingController;
  let time: FakeTime;

  beforeEach(() => {
    sessionStorage.clear();
    time = new FakeTime(NOW);
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting(), provideRouter([]), ...provideFakeTime(time)],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function signIn(): Promise<AuthStore> {
    const store = TestBed.inject(AuthStore);
    const done = store.login('a@b.c', 'pw');
    http.expectOne('/api/auth/login').flush({
      accessToken: 'AT1', refreshToken: 'RT1', accessTokenExpiresAt: new Date(NOW + 900_000).toISOString(),
    });
    await done;
    return store;
  }

  it('sends the bearer token to the API but not to login', async () => {
    await signIn();
    const call = firstValueFrom(TestBed.inject(HttpClient).get('/api/files'));
    const req = http.expectOne('/api/files');
    expect(req.request.headers.get('Authorization')).toBe('Bearer AT1');
    req.flush({ items: [] });
    await call;
    expect(sessionStorage.getItem('sx.refresh')).toBe('RT1');
  });

  it('refreshes once on a 401 and retries the request with the new token', async () => {
    await signIn();
    const call = firstValueFrom(TestBed.inject(HttpClient).get<{ ok: boolean }>('/api/files'));
    http.expectOne('/api/files').flush({ code: 'invalid_token', message: 'expired' }, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    const refresh = http.expectOne('/api/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'RT1' });
    refresh.flush({ accessToken: 'AT2', refreshToken: 'RT2', accessTokenExpiresAt: new Date(NOW + 900_000).toISOString() });
    await new Promise((r) => setTimeout(r, 0));
    const retry = http.expectOne('/api/files');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer AT2');
    retry.flush({ ok: true });
    expect(await call).toEqual({ ok: true });
  });

  it('refreshes before sending when the access token has expired on the injected clock', async () => {
    const store = await signIn();
    time.advance(16 * 60_000);
    expect(store.expired).toBe(true);
    const call = firstValueFrom(TestBed.inject(HttpClient).get('/api/files'));
    await Promise.resolve();
    http.expectOne('/api/auth/refresh').flush({ accessToken: 'AT3', refreshToken: 'RT3', expiresIn: 900 });
    await new Promise((r) => setTimeout(r, 0));
    const req = http.expectOne('/api/files');
    expect(req.request.headers.get('Authorization')).toBe('Bearer AT3');
    req.flush({});
    await call;
  });

  it('maps the gateway error body to an ApiError with code and correlation id', async () => {
    const call = TestBed.inject(ApiClient).get('/api/schedule/stats');
    http
      .expectOne('/api/schedule/stats')
      .flush({ code: 'service_unavailable', message: 'scheduler is not running', correlationId: 'c-1' }, { status: 503, statusText: 'x' });
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: 'service_unavailable', message: 'scheduler is not running', correlationId: 'c-1', unavailable: true });
  });

  it('drops empty query values', async () => {
    const call = TestBed.inject(ApiClient).get('/api/files', { q: '', kind: 'image', platform: undefined, ids: ['a', 'b'] });
    const req = http.expectOne((r) => r.url === '/api/files');
    expect(req.request.params.toString()).toBe('kind=image&ids=a,b');
    req.flush([]);
    await call;
  });

  it('reads the role from the token for display only', () => {
    expect(readIdentity(jwt({ sub: 'u1', role: 'editor', wid: 'w1' }))).toEqual({ userId: 'u1', role: 'editor', workspaceId: 'w1', email: undefined });
    expect(readIdentity('garbage')).toBeNull();
  });
});
