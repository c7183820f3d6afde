/**
 * Startup for the dashboard UX suite (same pattern as smoke.e2e.cjs): the embedded app on a free port
 * with a temp data dir, a plugin contract server as its own process, headless /usr/bin/chromium, and
 * the first-run sign-up. Everything started here is stopped by pid through `cleanup`.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { chromium } = require('playwright-core');
const { waitFor, freePort } = require('./smoke-helpers.cjs');

const root = path.resolve(__dirname, '..');
const artifacts = path.join(__dirname, 'artifacts');
const mainJs = path.join(root, 'dist/services/embedded/main.js');
const indexHtml = path.join(root, 'dist/dashboard/browser/index.html');

function assertBuilt() {
  for (const f of [mainJs, indexHtml]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run \`npx nx run-many -t build -p embedded dashboard\``);
  }
  fs.mkdirSync(artifacts, { recursive: true });
}

/** A plugin's contract server (`plugins/<id>/contract-server/serve.ts`); resolves with the JSON line it prints. */
function startContractServer(pluginId, cleanup) {
  const child = spawn(process.execPath, [path.join(__dirname, 'contract-server-boot.cjs'), `plugins/${pluginId}/contract-server/serve.ts`, '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => stopChild(child, 5_000));
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${pluginId} contract server did not start: ${stderr.slice(0, 500)}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${pluginId} contract server exited with ${code}: ${stderr.slice(0, 500)}`)));
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
  });
}

async function startApp(cleanup, logName) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-e2e-data-'));
  fs.chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as `postgres` when we are root
  cleanup.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort(net);
  const base = `http://127.0.0.1:${port}`;
  const log = fs.createWriteStream(path.join(artifacts, logName));
  const server = spawn(process.execPath, ['--enable-source-maps', mainJs], {
    cwd: root,
    env: {
      ...process.env,
      SX_HOST: '127.0.0.1',
      SX_PORT: String(port),
      SX_PUBLIC_URL: base,
      SX_DATA_DIR: dataDir,
      SX_EMBEDDED_PG_PORT: String(await freePort(net)),
      SX_EGRESS_ALLOW: '127.0.0.1',
      SX_LOG_LEVEL: process.env.SX_LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  let exited = null;
  server.on('exit', (code) => (exited = code));
  // Stopped before the data dir is removed (cleanup runs in order; this goes first).
  cleanup.unshift(() => stopChild(server, 20_000));
  await waitFor(async () => {
    if (exited !== null) throw new Error(`server exited with ${exited}; see e2e/artifacts/${logName}`);
    const res = await fetch(`${base}/health`).catch(() => null);
    return res && res.ok;
  }, 180_000, 'server /health');
  return { base, dataDir };
}

async function launchBrowser(cleanup) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-e2e-profile-'));
  const ctx = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    timezoneId: 'Europe/Berlin',
  });
  cleanup.unshift(async () => {
    await ctx.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(30_000);
  return { ctx, page };
}

async function signUp(page, base, admin) {
  await page.goto(`${base}/`);
  await page.getByTestId('login-submit').waitFor();
  if (!(await page.getByText('Create the admin account').first().isVisible())) {
    await page.getByRole('button', { name: /First run/ }).click();
  }
  await page.getByLabel('Your name').fill(admin.name);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/home$/);
}

function stopChild(child, graceMs) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

module.exports = { root, artifacts, assertBuilt, startContractServer, startApp, launchBrowser, signUp };
