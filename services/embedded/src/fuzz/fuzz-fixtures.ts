import sharp from 'sharp';
import type { IdSources, OpenApiOperation } from './fuzz-cases';

export type Api = (method: string, route: string, body?: unknown, token?: string) => Promise<{ status: number; body: unknown }>;

/** Workspace A's objects, created before the fuzzer runs; it must leave every one of them as it was. */
export interface Fixtures {
  userId: string;
  accountId: string;
  postId: string;
  jobId: string;
  templateId: string;
  fileId: string;
  taskId: string;
  runId: string;
  apiKeyId: string;
}

async function must<T>(what: string, res: Promise<{ status: number; body: unknown }>): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`fixture ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** Creates one object of every kind in workspace A through the public API, as its owner would. */
export async function createFixtures(api: Api, base: string, token: string, userId: string, receiverUrl: string): Promise<Fixtures> {
  await webhookPluginReady(api, token);
  const connected = await must<{ account: { id: string } }>('account', api('POST', '/api/accounts/connect', {
    pluginId: 'webhook', settings: {}, input: { kind: 'webhook_url', url: receiverUrl, secret: 'fuzz-signing-secret-0123456789' },
  }, token));
  const accountId = connected.account.id;
  await must('slots', api('PUT', `/api/schedule/slots/${accountId}`, { zone: 'Europe/Berlin', times: ['09:30', '18:00'], spacingMinutes: 90 }, token));
  const post = await must<{ id: string }>('post', api('POST', '/api/posts', {
    title: 'Fixture', text: 'Fixture post text', hashtags: ['#fixture'], labels: ['keep'], overrides: { webhook: { text: 'override' } },
    targets: [{ accountId, platform: 'webhook' }],
  }, token));
  const scheduled = await must<{ jobs: { id: string }[] }>('schedule', api('POST', '/api/schedule/post', {
    postId: post.id, when: { mode: 'at', at: '2031-06-01T10:00:00Z' }, zone: 'UTC',
  }, token));
  const template = await must<{ id: string }>('template', api('POST', '/api/ai/templates', { name: 'Fixture template', promptText: 'Describe {{filename}}' }, token));
  const task = await must<{ id: string }>('task', api('POST', '/api/schedule/tasks', {
    name: 'Fixture task', recurrence: { kind: 'rrule', rule: 'FREQ=DAILY', start: '2031-01-01T09:00' }, zone: 'UTC',
    action: { type: 'run_pipeline', pipeline: 'default', params: {} }, paused: true,
  }, token));
  const key = await must<{ id: string }>('api key', api('POST', '/api/api-keys', { name: 'fixture key', role: 'viewer' }, token));
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).png().toBuffer();
  const upload = await fetch(`${base}/media/uploads?filename=fixture.png`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: png,
  });
  if (upload.status >= 300) throw new Error(`fixture upload: ${upload.status} ${await upload.text()}`);
  const fileId = ((await upload.json()) as { asset: { id: string } }).asset.id;
  const runId = await settledRun(api, token, fileId);
  return { userId, accountId, postId: post.id, jobId: scheduled.jobs[0].id, templateId: template.id, fileId, taskId: task.id, runId, apiKeyId: key.id };
}

/** Plugins start in their own processes after the app listens; connecting needs the webhook plugin up. */
async function webhookPluginReady(api: Api, token: string): Promise<void> {
  let seen: unknown;
  for (let i = 0; i < 1200; i++) {
    const res = await api('GET', '/api/plugins', undefined, token).catch(() => undefined);
    seen = res?.body;
    const items = (res?.body as { items?: { id: string; status: string }[] } | undefined)?.items;
    if (items?.some((p) => p.id === 'webhook' && p.status === 'ready')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the webhook plugin did not become ready: ${JSON.stringify(seen)}`);
}

/** Waits (bounded) until the upload's pipeline run has finished, so nothing changes the file during the fuzz. */
async function settledRun(api: Api, token: string, fileId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const runs = (await api('GET', `/api/pipeline/runs?assetId=${fileId}`, undefined, token)).body as { items?: { id: string; status: string }[] };
    const run = runs.items?.[0];
    if (run && ['succeeded', 'failed'].includes(run.status)) return run.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('fixture pipeline run did not finish');
}

/** Everything a client can read about the fixtures. */
export async function snapshot(api: Api, token: string, f: Fixtures): Promise<Record<string, unknown>> {
  const routes: Record<string, string> = {
    post: `/api/posts/${f.postId}`,
    jobs: `/api/schedule/post/${f.postId}`,
    template: `/api/ai/templates/${f.templateId}`,
    file: `/api/files/${f.fileId}`,
    task: `/api/schedule/tasks/${f.taskId}`,
    run: `/api/pipeline/runs/${f.runId}`,
    slots: `/api/schedule/slots/${f.accountId}`,
    accounts: '/api/accounts',
    users: '/api/users',
    keys: '/api/api-keys',
  };
  const out: Record<string, unknown> = {};
  for (const [name, route] of Object.entries(routes)) {
    const res = await api('GET', route, undefined, token);
    out[name] = { status: res.status, body: res.body };
  }
  return out;
}

/** Workspace A's id for a path parameter, by the route it appears in (the foreign id the other workspace tries). */
export function foreignIds(f: Fixtures): IdSources {
  const byPrefix: [RegExp, string][] = [
    [/^\/api\/(posts|schedule\/post|scheduled-posts)\//, f.postId],
    [/^\/api\/schedule\/jobs\//, f.jobId],
    [/^\/api\/schedule\/tasks\//, f.taskId],
    [/^\/api\/ai\/templates\//, f.templateId],
    [/^\/(api\/files|media)\//, f.fileId],
    [/^\/api\/pipeline\/runs\//, f.runId],
    [/^\/api\/(accounts|schedule\/slots)\//, f.accountId],
    [/^\/api\/users\//, f.userId],
    [/^\/api\/api-keys\//, f.apiKeyId],
  ];
  return {
    foreign(op: OpenApiOperation, _param: string) {
      return byPrefix.find(([re]) => re.test(op.path))?.[1];
    },
  };
}
