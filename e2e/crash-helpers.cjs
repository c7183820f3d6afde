/** The embedded app as a child process that can be killed and restarted, a webhook receiver, and API calls. */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const mainJs = path.join(root, 'dist/services/embedded/main.js');

/**
 * A webhook receiver that records every delivery by idempotency key. `hold(n)`: from now on, answer
 * nothing after the next n requests have been answered (the connection stays open, as if the platform
 * were slow), so a kill lands while calls are in flight, deterministically.
 */
function startReceiver(port) {
  const byKey = new Map();
  let answerBudget = Infinity;
  let received = 0;
  const waiting = [];
  const held = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      byKey.set(key, (byKey.get(key) ?? 0) + 1);
      received++;
      for (const w of waiting.splice(0)) {
        if (received >= w.n) w.resolve();
        else waiting.push(w);
      }
      if (answerBudget <= 0) {
        held.push(res);
        return;
      }
      answerBudget--;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `hook-${key}`, url: `http://127.0.0.1/hook/${encodeURIComponent(key)}` }));
    });
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        byKey,
        get received() {
          return received;
        },
        hold(n) {
          answerBudget = n;
        },
        answerAll() {
          answerBudget = Infinity;
          for (const res of held.splice(0)) res.destroy();
        },
        untilReceived(n) {
          return received >= n ? Promise.resolve() : new Promise((r) => waiting.push({ n, resolve: r }));
        },
        close: () => new Promise((r) => { for (const res of held.splice(0)) res.destroy(); server.closeAllConnections?.(); server.close(r); }),
      }),
    ),
  );
}

/** Starts `node dist/services/embedded/main.js` and resolves once /health answers. */
async function startApp({ dataDir, port, pgPort, logFile, env = {} }) {
  if (!fs.existsSync(mainJs)) throw new Error('dist/services/embedded/main.js is missing: run `npx nx run-many -t build -p embedded dashboard`');
  const base = `http://127.0.0.1:${port}`;
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [mainJs], {
    cwd: root,
    env: {
      ...process.env,
      SX_HOST: '127.0.0.1', SX_PORT: String(port), SX_PUBLIC_URL: base, SX_DATA_DIR: dataDir,
      SX_EMBEDDED_PG_PORT: String(pgPort), SX_EGRESS_ALLOW: '127.0.0.1', SX_LOG_LEVEL: process.env.SX_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) throw new Error(`the app exited with ${exited}; see ${logFile}`);
    const res = await fetch(`${base}/health`).catch(() => null);
    if (res && res.ok) break;
    if (Date.now() > deadline) throw new Error('the app did not become healthy within 120 s');
    await sleep(250);
  }
  return {
    base,
    child,
    kill9() {
      return new Promise((resolve) => {
        if (exited !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (exited !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** JSON API client with the admin's bearer token; throws on a non-2xx answer with the error body. */
function apiClient(base) {
  let token = '';
  const call = async (method, route, body) => {
    const res = await fetch(`${base}/api${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    call,
    setBase(b) {
      base = b;
    },
    async setup() {
      const r = await call('POST', '/auth/setup', { email: 'owner@crash.test', password: 'crash-test-password-1', displayName: 'Owner', workspaceName: 'Crash' });
      token = r.accessToken;
    },
    async login() {
      token = (await call('POST', '/auth/login', { email: 'owner@crash.test', password: 'crash-test-password-1' })).accessToken;
    },
    /** Every job, following the keyset pages. */
    async jobs() {
      const out = [];
      let cursor;
      do {
        const page = await call('GET', `/scheduled?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    },
  };
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

module.exports = { startReceiver, startApp, apiClient, sleep };
