/**
 * What the dashboard browser suites share: one embedded app on a fresh database in the developer
 * PostgreSQL (127.0.0.1:5432, trust; so a suite can seed thousands of rows with SQL in a second),
 * a headless Chromium that records console errors and every request, and a signed-in admin.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { chromium } = require('playwright-core');
const { waitFor, freePort } = require('./smoke-helpers.cjs');

const root = path.resolve(__dirname, '..');
const artifacts = path.join(__dirname, 'artifacts');
const mainJs = path.join(root, 'dist/services/embedded/main.js');
const indexHtml = path.join(root, 'dist/dashboard/browser/index.html');
const PG_ADMIN_URL = process.env.SX_E2E_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN = { name: 'E2E Admin', email: 'admin@e2e.test', password: 'e2e-password-123456' };
const WORKSPACE_ID = '00000000-0000-4000-8000-000000000001';

/** Starts the app on its own database; `cleanup` stops it and drops the database. */
async function startApp(name, extraEnv = {}) {
  for (const f of [mainJs, indexHtml]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run \`npx nx run-many -t build -p embedded dashboard\``);
  }
  fs.mkdirSync(artifacts, { recursive: true });
  const dbName = `sx_e2e_${name.replace(/\W/g, '_')}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const dbUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `sx-e2e-${name}-`));
  const port = await freePort(net);
  const base = `http://127.0.0.1:${port}`;
  const log = fs.createWriteStream(path.join(artifacts, `server-${name}.log`));
  const server = spawn(process.execPath, ['--enable-source-maps', mainJs], {
    cwd: root,
    env: {
      ...process.env,
      SX_HOST: '127.0.0.1',
      SX_PORT: String(port),
      SX_PUBLIC_URL: base,
      SX_DATA_DIR: dataDir,
      SX_DATABASE_URL: dbUrl,
      SX_EGRESS_ALLOW: '127.0.0.1',
      SX_LOG_LEVEL: process.env.SX_LOG_LEVEL ?? 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  let exited = null;
  server.on('exit', (code) => (exited = code));
  const db = new Client({ connectionString: dbUrl });
  const cleanup = async () => {
    await db.end().catch(() => undefined);
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
    const c = new Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((e) => console.error('drop database:', e.message));
    await c.end();
  };
  try {
    await waitFor(async () => {
      if (exited !== null) throw new Error(`server exited with ${exited}; see e2e/artifacts/server-${name}.log`);
      const res = await fetch(`${base}/ready`).catch(() => null);
      return res && res.ok;
    }, 180_000, 'server /ready');
    await db.connect();
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { base, dataDir, db, cleanup };
}

/** JSON call with the admin's bearer token; throws with the server's message on a non-2xx answer. */
function apiClient(base) {
  let token = null;
  const call = async (method, url, body, attempt = 0) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // Right after start a service may still be loading (plugins start in child processes): ask again.
    if (res.status === 503 && attempt < 20) {
      await new Promise((r) => setTimeout(r, 1_000));
      return call(method, url, body, attempt + 1);
    }
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    call,
    async setup() {
      const r = await call('POST', '/api/auth/setup', { email: ADMIN.email, password: ADMIN.password, displayName: ADMIN.name, workspaceName: 'E2E' });
      token = r.accessToken ?? r.tokens?.accessToken;
      if (!token) token = (await call('POST', '/api/auth/login', { email: ADMIN.email, password: ADMIN.password })).accessToken;
    },
    get token() {
      return token;
    },
  };
}

/** Chromium with a fresh profile; `problems` collects page errors, console errors and failed responses. */
async function launchBrowser(cleanup, viewport = { width: 1280, height: 800 }) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-e2e-profile-'));
  const ctx = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    viewport,
    timezoneId: 'UTC',
  });
  cleanup.unshift(async () => {
    await ctx.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(30_000);
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  page.on('request', (r) => requests.push({ at: Date.now(), url: r.url(), method: r.method() }));
  const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  return { ctx, page, problems, requests, shot };
}

/** Signs in through the login page (the admin exists already) and lands on Home. */
async function signIn(page, base) {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-submit').waitFor();
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/home$/);
}

/** Requests to the app (not data:/blob:) made from `since`, optionally within `windowMs`. */
function appRequests(requests, base, since, windowMs = Infinity) {
  return requests.filter((r) => r.url.startsWith(base) && r.at >= since && r.at < since + windowMs);
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs `body` with a cleanup list run in order afterwards; a failure screenshots first. */
async function runSuite(name, body) {
  const cleanup = [];
  const ctx = { cleanup, onFailure: async () => undefined };
  try {
    await body(ctx);
    console.log(`e2e ${name} passed`);
  } catch (err) {
    await ctx.onFailure().catch(() => undefined);
    process.exitCode = 1;
    console.error(`e2e ${name} FAILED: ${err.message}`);
  } finally {
    for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e.message));
  }
}

module.exports = { ADMIN, WORKSPACE_ID, artifacts, startApp, apiClient, launchBrowser, signIn, appRequests, runSuite };
