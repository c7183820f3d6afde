import { z } from 'zod';
import {
  AuthExpiredError,
  classifyHttpError,
  definePlugin,
  DisconnectedError,
  RejectedError,
  validateAgainstManifest,
  type BaseContext,
  type HttpResponse,
  manifestSchema,
} from '@sx/plugin-sdk';
import pkg from '../package.json';

/** The manifest lives in package.json (the host reads it there too). */
const manifest = manifestSchema.parse(pkg.schedulerx);

const credentialsSchema = z.object({ accessJwt: z.string(), refreshJwt: z.string(), handle: z.string() });
type Credentials = z.infer<typeof credentialsSchema>;
const settingsSchema = z.object({ serviceUrl: z.url() });
type Settings = z.infer<typeof settingsSchema>;
const postReply = z.object({ id: z.string(), url: z.url() });

function creds(raw: unknown): Credentials {
  const r = credentialsSchema.safeParse(raw);
  if (!r.success) throw new DisconnectedError('stored credentials are incomplete: reconnect the account');
  return r.data;
}

function api(ctx: BaseContext, path: string): string {
  return new URL(path, settingsSchema.parse(ctx.settings).serviceUrl).toString();
}

function ensureOk(ctx: BaseContext, res: HttpResponse, what: string): HttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  const err = res.json<{ error?: string }>()?.error;
  if (res.status === 401 && err === 'ExpiredToken') throw new AuthExpiredError(`${what}: token expired`);
  if (res.status === 401) throw new DisconnectedError(`${what}: the platform refused the credentials`);
  throw classifyHttpError(res, ctx.clock.nowMs(), what);
}

export default definePlugin<Credentials, Settings>({
  validate: (post, media) => validateAgainstManifest(manifest, post, media),

  async connect(ctx, input) {
    if (input.kind !== 'app_password') throw new RejectedError(`__NAME__ connects with an app password, not ${input.kind}`);
    const res = await ctx.http.request({ url: api(ctx, '/session'), json: { identifier: input.identifier, password: input.password } });
    ensureOk(ctx, res, 'login');
    const s = credentialsSchema.extend({ did: z.string() }).parse(res.json());
    return {
      credentials: { accessJwt: s.accessJwt, refreshJwt: s.refreshJwt, handle: s.handle },
      profile: { externalId: s.did, handle: s.handle },
    };
  },

  async publish(ctx, post) {
    const c = creds(ctx.credentials);
    const res = await ctx.http.request({
      url: api(ctx, '/posts'),
      headers: { authorization: `Bearer ${c.accessJwt}` },
      json: { text: post.text, key: ctx.idempotencyKey },
    });
    ensureOk(ctx, res, 'create post');
    const p = postReply.parse(res.json());
    return { platformPostId: p.id, url: p.url };
  },

  async reconcile(ctx) {
    const c = creds(ctx.credentials);
    const res = await ctx.http.request({
      url: api(ctx, `/posts/by-key/${encodeURIComponent(ctx.idempotencyKey)}`),
      headers: { authorization: `Bearer ${c.accessJwt}` },
    });
    if (res.status === 404) return { status: 'not_found' };
    ensureOk(ctx, res, 'look up post');
    const p = postReply.parse(res.json());
    return { status: 'found', platformPostId: p.id, url: p.url };
  },

  async refreshCredentials(ctx) {
    const c = creds(ctx.credentials);
    const res = await ctx.http.request({
      method: 'POST',
      url: api(ctx, '/session/refresh'),
      headers: { authorization: `Bearer ${c.refreshJwt}` },
    });
    if (res.status === 400 || res.status === 401) throw new DisconnectedError('refresh token rejected: reconnect the account');
    ensureOk(ctx, res, 'refresh session');
    const s = credentialsSchema.parse(res.json());
    return { credentials: { accessJwt: s.accessJwt, refreshJwt: s.refreshJwt, handle: s.handle } };
  },

  async fetchProfile(ctx) {
    const c = creds(ctx.credentials);
    const res = ensureOk(ctx, await ctx.http.request({ url: api(ctx, '/profile'), headers: { authorization: `Bearer ${c.accessJwt}` } }), 'profile');
    const p = z.object({ did: z.string(), handle: z.string() }).parse(res.json());
    return { externalId: p.did, handle: p.handle };
  },
});
