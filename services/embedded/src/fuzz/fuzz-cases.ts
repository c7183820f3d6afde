/** One request the fuzzer sends. `body` is the raw text sent (already serialised). */
export interface FuzzCase {
  method: string;
  path: string;
  contentType?: string;
  body?: string;
  anonymous?: boolean;
  /** What the case is about, printed with a failure. */
  label: string;
  /** A random-id case and its foreign-id twin share the key; both must get the same answer. */
  probe?: { key: string; kind: 'random' | 'foreign' };
}

export interface OpenApiOperation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyProps: string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>>;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** Every operation of the OpenAPI document, with its parameter and body property names. */
export function operationsOf(doc: OpenApiDoc): OpenApiOperation[] {
  const ops: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const params = op.parameters ?? [];
      const schema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodyProps: Object.keys(schema?.properties ?? {}),
      });
    }
  }
  return ops;
}

/** mulberry32: small, seeded, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const deepJson = (depth: number) => `{"a":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
const huge = (n: number) => 'x'.repeat(n);

/** Path segments that are not ids of anything (already percent-encoded where needed). */
const BAD_IDS = ['%00', 'a%00b', '%ED%A0%80', huge(3000), '..%2F..%2Fetc%2Fpasswd', "1'%20OR%20'1'='1", '-1', '%F0%9F%98%80', '%25', '%E2%80%AEgpj.exe'];
const BAD_QUERY_VALUES = ['%00', '%ED%A0%80', huge(5000), '-1', '1e309', 'NaN', '%5B%5D', 'true', 'not-a-date', '2031-01-01T00:00:00%2B99:99', ''];
const BAD_VALUES: unknown[] = ['\u0000', 'a\u0000b', '\ud800', '\udfff x', huge(200_000), 12345, -1, 1e308, [], {}, null, true, [[[['x']]]], { $gt: '' }];
const RAW_BODIES = ['{"a":', '[]', '[{"text":"x"}]', '"just a string"', '123', 'null', 'true', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}', deepJson(10_000), deepJson(65), '\u0000', '{"text":"\\ud800"}', '{"text":"a\\u0000b"}'];
/** Property names worth mutating when the document does not list the body's properties. */
const COMMON_PROPS = ['text', 'name', 'title', 'hashtags', 'overrides', 'settings', 'payload', 'at', 'zone', 'when', 'recurrence', 'promptText', 'tags', 'targets', 'input', 'pluginId', 'role', 'email', 'password', 'filename', 'outcome', 'times'];

/**
 * Valid bodies for the id probes, so a random id and a foreign id differ in nothing but the id: a
 * foreign id that got further than a random one (200 where a random id gets 404) shows.
 */
const PROBE_BODIES: Record<string, unknown> = {
  'PUT /api/schedule/slots/{accountId}': { zone: 'UTC', times: ['10:00'], spacingMinutes: 30 },
  'POST /api/schedule/jobs/{id}/resolve': { outcome: 'failed', note: 'probe' },
  'PATCH /api/scheduled-posts/{id}': { at: '2032-01-01T10:00:00Z', zone: 'UTC' },
  'PATCH /api/schedule/post/{id}': { at: '2032-01-01T10:00:00Z', zone: 'UTC' },
  'PUT /api/ai/templates/{id}': { name: 'probe', promptText: 'probe {{filename}}' },
  'PATCH /api/files/{id}': { tags: ['probe'] },
  'POST /api/posts/{id}': { text: 'probe' },
  'POST /api/posts/{id}/post-again': { when: { mode: 'now' }, zone: 'UTC' },
  'PATCH /api/users/{id}': { role: 'viewer' },
  'PUT /api/schedule/tasks/{id}': {
    name: 'probe', recurrence: { kind: 'rrule', rule: 'FREQ=DAILY', start: '2032-01-01T09:00' }, zone: 'UTC', action: { type: 'run_pipeline', pipeline: 'default', params: {} },
  },
};

export interface IdSources {
  /** Ids of the other workspace's objects, by path parameter name and route prefix. */
  foreign(op: OpenApiOperation, param: string): string | undefined;
}

/** A v4-shaped UUID drawn from the seeded generator (so a run is reproducible). */
export function seededUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name] ?? name);
}

function pick<T>(rand: () => number, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out;
}

/**
 * The requests for one operation: anonymous; each path parameter as a random id, the other workspace's
 * id and malformed segments; malformed query values; malformed and wrong-typed bodies (NUL, lone
 * surrogates, 10,000-deep nesting, 200 KB strings, wrong types) and wrong content types. Ids in the path
 * are random or foreign, never the caller's own objects, so no case can legitimately change them.
 */
export function casesFor(op: OpenApiOperation, ids: IdSources, rand: () => number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const base = (): Record<string, string> => Object.fromEntries(op.pathParams.map((p) => [p, seededUuid(rand)]));
  const path = fill(op.path, base());
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(op.method);
  const json = 'application/json';
  cases.push({ method: op.method, path, anonymous: true, label: 'anonymous', ...(hasBody ? { contentType: json, body: '{}' } : {}) });

  for (const param of op.pathParams) {
    const others = base();
    const probeBody = PROBE_BODIES[`${op.method} ${op.path}`];
    const withBody = hasBody ? { contentType: json, body: JSON.stringify(probeBody ?? {}) } : {};
    const key = `${op.method} ${op.path} ${param}`;
    const foreign = ids.foreign(op, param);
    const random = seededUuid(rand);
    cases.push({ method: op.method, path: fill(op.path, { ...others, [param]: random }), label: `random ${param}`, probe: { key, kind: 'random' }, ...withBody });
    if (foreign) cases.push({ method: op.method, path: fill(op.path, { ...others, [param]: foreign }), label: `foreign ${param}`, probe: { key, kind: 'foreign' }, ...withBody });
    for (const v of pick(rand, BAD_IDS, 4)) {
      cases.push({ method: op.method, path: fill(op.path, { ...others, [param]: v }), label: `${param}=${v.slice(0, 40)}`, ...withBody });
    }
  }

  for (const q of pick(rand, op.queryParams.length ? op.queryParams : ['q', 'limit'], 4)) {
    for (const v of pick(rand, BAD_QUERY_VALUES, 2)) {
      cases.push({ method: op.method, path: `${path}?${q}=${v}`, label: `query ${q}=${v.slice(0, 40)}`, ...(hasBody ? { contentType: json, body: '{}' } : {}) });
    }
    cases.push({ method: op.method, path: `${path}?${q}=a&${q}=b&${q}[x]=c`, label: `query ${q} repeated/nested` });
  }

  if (!hasBody && op.method !== 'GET') cases.push({ method: op.method, path, contentType: json, body: deepJson(10_000), label: 'unexpected deep body' });
  if (!hasBody) return cases;

  for (const raw of pick(rand, RAW_BODIES, 7)) cases.push({ method: op.method, path, contentType: json, body: raw, label: `raw body ${raw.slice(0, 40)}` });
  const props = op.bodyProps.length ? op.bodyProps : pick(rand, COMMON_PROPS, 6);
  for (const prop of pick(rand, props, 6)) {
    for (const value of pick(rand, BAD_VALUES, 2)) {
      const body = JSON.stringify({ [prop]: value });
      cases.push({ method: op.method, path, contentType: json, body, label: `body ${prop}=${JSON.stringify(value).slice(0, 40)}` });
    }
  }
  const nested = `{"${props[0] ?? 'a'}":{"x":${deepJson(10_000)}}}`;
  cases.push({ method: op.method, path, contentType: json, body: nested, label: 'deep nested field' });
  for (const [contentType, body] of pick(rand, [
    ['text/plain', '{"text":"edited"}'],
    ['application/x-www-form-urlencoded', 'text=edited&name=x'],
    ['application/xml', '<a>edited</a>'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nedited\r\n--x--'],
    ['application/json; charset=utf-16', '{"text":"edited"}'],
    ['application/octet-stream', '\u0000\u0001\u0002'],
  ] as const, 3)) {
    cases.push({ method: op.method, path, contentType, body, label: `content-type ${contentType}` });
  }
  return cases;
}
