import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@sx/config';
import { freePort } from '@sx/testing';
import { startEmbedded, type RunningPlatform } from '../start-embedded';
import { casesFor, operationsOf, seededRandom, type FuzzCase, type OpenApiOperation } from './fuzz-cases';
import { createFixtures, foreignIds, snapshot, type Api, type Fixtures } from './fuzz-fixtures';

const SEED = Number(process.env['SX_FUZZ_SEED'] ?? 16);
const CONCURRENCY = 4;
const OPENAPI = path.resolve(__dirname, '../../../../gateway/openapi.json');

/** The byte routes outside the document (ApiExcludeController): uploads, tus and disk presigned objects. */
const BYTE_ROUTES: OpenApiOperation[] = [
  { method: 'POST', path: '/media/uploads', pathParams: [], queryParams: ['filename', 'tags', 'platforms'], bodyProps: [] },
  { method: 'POST', path: '/media/tus', pathParams: [], queryParams: [], bodyProps: [] },
  { method: 'PATCH', path: '/media/tus/{uploadId}', pathParams: ['uploadId'], queryParams: [], bodyProps: [] },
  { method: 'DELETE', path: '/media/tus/{uploadId}', pathParams: ['uploadId'], queryParams: [], bodyProps: [] },
  { method: 'GET', path: '/media/{id}/original', pathParams: ['id'], queryParams: [], bodyProps: [] },
  { method: 'GET', path: '/media/{id}/thumbnail', pathParams: ['id'], queryParams: [], bodyProps: [] },
  { method: 'GET', path: '/storage/objects/assets/{key}', pathParams: ['key'], queryParams: ['method', 'expires', 'signature'], bodyProps: [] },
  { method: 'PUT', path: '/storage/objects/staging/{key}', pathParams: ['key'], queryParams: ['method', 'expires', 'signature'], bodyProps: [] },
];

interface Outcome {
  c: FuzzCase;
  status: number;
  text: string;
  contentType: string;
}

/**
 * Issue #16: every operation of gateway/openapi.json, against the whole embedded platform in this process,
 * (and the byte routes /media/uploads, /media/tus, /storage/objects) gets malformed path/query/body input, NUL, lone surrogates, deep nesting, huge strings, wrong types and
 * content types. No request may produce a 5xx; every 4xx is in the one error shape; another workspace's ids
 * answer exactly like random ids; and the objects that existed before are unchanged afterwards.
 * Seeded (SX_FUZZ_SEED) and bounded: a few thousand requests.
 */
describe('OpenAPI-driven fuzz over every operation', () => {
  let dir: string;
  let platform: RunningPlatform | undefined;
  let receiver: http.Server;
  let ownerToken: string;
  let otherToken: string;
  let fixtures: Fixtures;
  let before: Record<string, unknown>;
  const outcomes: Outcome[] = [];
  const timings = { boot: 0, fixtures: 0, fuzz: 0 };
  const ops: OpenApiOperation[] = [...operationsOf(JSON.parse(fs.readFileSync(OPENAPI, 'utf8'))), ...BYTE_ROUTES];

  const api: Api = async (method, route, body, token) => {
    const res = await fetch(`${platform!.url}${route}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  beforeAll(async () => {
    receiver = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"r1"}'));
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-fuzz-'));
    fs.chmodSync(dir, 0o755);
    const config = loadConfig({
      SX_DATA_DIR: dir,
      SX_PORT: String(await freePort()),
      SX_EMBEDDED_PG_PORT: String(await freePort()),
      SX_LOG_LEVEL: process.env['SX_FUZZ_LOG'] ?? 'silent',
      SX_EGRESS_ALLOW: '127.0.0.1',
      SX_RATE_LIMIT_PER_MIN: '1000000',
      // Cases come from many addresses (X-Forwarded-For via the trusted loopback proxy): the failed-auth
      // budget per address (bad SSE tickets count) must not turn the rest of the run into 429s.
      SX_TRUST_PROXY: 'loopback',
      SX_PLUGINS_DIR: path.resolve(__dirname, '../../../../plugins'),
    });
    const t0 = Date.now();
    platform = await startEmbedded(config, dir);
    timings.boot = Date.now() - t0;
    const setup = await api('POST', '/api/auth/setup', { email: 'owner@a.test', password: 'correct horse battery', displayName: 'Owner', workspaceName: 'A' });
    const owner = setup.body as { accessToken: string; user: { id: string } };
    ownerToken = owner.accessToken;
    const created = await api('POST', '/api/workspaces', { name: 'B', admin: { email: 'admin@b.test', password: 'correct horse battery', displayName: 'B admin' } }, ownerToken);
    if (created.status !== 201) throw new Error(`workspace B: ${created.status} ${JSON.stringify(created.body)}`);
    otherToken = ((await api('POST', '/api/auth/login', { email: 'admin@b.test', password: 'correct horse battery' })).body as { accessToken: string }).accessToken;
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    fixtures = await createFixtures(api, platform.url, ownerToken, owner.user.id, url);
    before = await snapshot(api, ownerToken, fixtures);
    timings.fixtures = Date.now() - t0 - timings.boot;

    // Workspace B's admin sends every case (A's objects are foreign to it); logging out would end its session.
    const rand = seededRandom(SEED);
    const cases = ops.flatMap((op) => casesFor(op, foreignIds(fixtures), rand)).filter((c) => !(c.path.split('?')[0] === '/api/auth/logout' && !c.anonymous));
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) {
          const i = next++;
          outcomes.push(await send(cases[i], `198.51.100.${i % 250}`));
        }
      }),
    );
    timings.fuzz = Date.now() - t0 - timings.boot - timings.fixtures;
    if (process.env['SX_FUZZ_TIMINGS']) {
      const byStatus: Record<number, number> = {};
      for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
      console.log(JSON.stringify({ ...timings, requests: cases.length, byStatus }));
      console.log(outcomes.filter((o) => o.status === 0 || o.status >= 500).slice(0, 8).map(describeCase).join('\n'));
    }
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    receiver?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function send(c: FuzzCase, from: string): Promise<Outcome> {
    const headers: Record<string, string> = { 'x-forwarded-for': from };
    if (!c.anonymous) headers['authorization'] = `Bearer ${otherToken}`;
    if (c.contentType) headers['content-type'] = c.contentType;
    try {
      const res = await fetch(`${platform!.url}${c.path}`, { method: c.method, headers, body: c.body, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
      const contentType = res.headers.get('content-type') ?? '';
      if (contentType.startsWith('text/event-stream')) {
        await res.body?.cancel();
        return { c, status: res.status, text: '', contentType };
      }
      return { c, status: res.status, text: await res.text(), contentType };
    } catch (e) {
      return { c, status: 0, text: `request failed: ${(e as Error).message}`, contentType: '' };
    }
  }

  const describeCase = (o: Outcome) =>
    `${o.c.method} ${o.c.path.slice(0, 160)} [${o.c.label}] payload=${(o.c.body ?? '').slice(0, 160)} → ${o.status} ${o.text.slice(0, 240)}`;

  it('covers every operation of the OpenAPI document', () => {
    const hit = new Set(outcomes.map((o) => `${o.c.method} ${o.c.path.split('?')[0]}`));
    expect(ops.length).toBeGreaterThan(80);
    for (const op of ops) expect(outcomes.some((o) => o.c.method === op.method && o.c.label === 'anonymous' && o.c.path.startsWith(op.path.split('{')[0]))).toBe(true);
    expect(hit.size).toBeGreaterThan(ops.length);
    expect(outcomes.length).toBeGreaterThan(1500);
  });

  it('answers no request with a 5xx (or not at all), and every 4xx in the one error shape', () => {
    const failures: string[] = [];
    for (const o of outcomes) {
      if (o.status === 0 || o.status >= 500) failures.push(describeCase(o));
      else if (o.status >= 400) {
        let body: { code?: unknown; message?: unknown; correlationId?: unknown } | undefined;
        try {
          body = JSON.parse(o.text) as typeof body;
        } catch {
          body = undefined;
        }
        const shaped = o.contentType.startsWith('application/json') && typeof body?.code === 'string' && body.code !== '' && typeof body.message === 'string' && typeof body.correlationId === 'string';
        if (!shaped) failures.push(`not the error shape: ${describeCase(o)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers another workspace's ids exactly like random ids", () => {
    const failures: string[] = [];
    for (const foreign of outcomes.filter((o) => o.c.probe?.kind === 'foreign')) {
      const random = outcomes.find((o) => o.c.probe?.kind === 'random' && o.c.probe.key === foreign.c.probe?.key);
      if (!random) failures.push(`no random-id twin for ${describeCase(foreign)}`);
      else if (random.status !== foreign.status || (foreign.status < 300 && foreign.c.method !== 'GET')) {
        failures.push(`foreign ${foreign.status} vs random ${random.status}: ${describeCase(foreign)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 404 to unknown and foreign ids on the routes issue #16 found answering 200 or 409', () => {
    const named = ['PUT /api/schedule/slots/{accountId} accountId', 'DELETE /api/schedule/post/{id} id', 'POST /api/schedule/post/{id}/force id',
      'POST /api/schedule/jobs/{id}/retry id', 'POST /api/schedule/jobs/{id}/resolve id'];
    for (const key of named) {
      const probes = outcomes.filter((o) => o.c.probe?.key === key);
      expect(probes.map((o) => `${o.c.method} ${o.c.path} ${o.c.probe?.kind} ${o.status}`).sort()).toEqual(probes.map((o) => `${o.c.method} ${o.c.path} ${o.c.probe?.kind} 404`).sort());
      expect(probes).toHaveLength(2);
    }
  });

  it('leaves the objects created before it unchanged', async () => {
    expect(await snapshot(api, ownerToken, fixtures)).toEqual(before);
  });
});
