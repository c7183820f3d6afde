#!/usr/bin/env node
// Browser smoke test: starts the embedded app (one process, temp data dir, free port), drives the
// dashboard in headless /usr/bin/chromium with playwright-core, and saves a screenshot of every page
// into e2e/artifacts/ (git-ignored). Run: `npx nx e2e e2e` (builds embedded + dashboard first).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { step, waitFor, freePort, pageSettled } = require('./smoke-helpers.cjs');

const root = path.resolve(__dirname, '..');
const artifacts = path.join(__dirname, 'artifacts');
const mainJs = path.join(root, 'dist/services/embedded/main.js');
const indexHtml = path.join(root, 'dist/dashboard/browser/index.html');
const PAGES = ['home', 'media', 'schedule', 'calendar', 'recurring', 'pipeline', 'ai-templates', 'accounts', 'activity', 'settings'];
const ADMIN = { name: 'E2E Admin', email: 'admin@e2e.test', password: 'e2e-password-123456' };
const HOOK_SECRET = 'e2e-signing-secret-0123456789';

async function main() {
  for (const f of [mainJs, indexHtml]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run \`npx nx run-many -t build -p embedded dashboard\``);
  }
  fs.mkdirSync(artifacts, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-e2e-data-'));
  // When run as root, embedded PostgreSQL runs as the `postgres` user, which must reach its folder.
  fs.chmodSync(dataDir, 0o755);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-e2e-profile-'));
  const cleanup = [];
  let onFailure = async () => undefined;
  try {
    // 1. A webhook receiver the webhook plugin delivers to.
    const deliveries = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        deliveries.push({ method: req.method, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `hook-${deliveries.length}`, url: `http://127.0.0.1/hook/${deliveries.length}` }));
      });
    });
    const hookPort = await freePort(net);
    await new Promise((r) => receiver.listen(hookPort, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => receiver.close(r)));

    // 2. The embedded app.
    const port = await freePort(net);
    const base = `http://127.0.0.1:${port}`;
    const log = fs.createWriteStream(path.join(artifacts, 'server.log'));
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
    cleanup.push(() => stopServer(server));
    await step(`start embedded app on ${base}`, () =>
      waitFor(async () => {
        if (exited !== null) throw new Error(`server exited with ${exited}; see e2e/artifacts/server.log`);
        const res = await fetch(`${base}/health`).catch(() => null);
        return res && res.ok;
      }, 180_000, 'server /health'),
    );

    // 3. Browser.
    const ctx = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
      timezoneId: 'UTC',
    });
    cleanup.unshift(() => ctx.close());
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(30_000);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
    const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
    onFailure = () => shot('failure');

    await step('first-run setup and sign in', async () => {
      await page.goto(`${base}/`);
      await page.getByTestId('login-submit').waitFor();
      if (!(await page.getByText('Create the admin account').first().isVisible())) {
        await page.getByRole('button', { name: /First run/ }).click();
      }
      await page.getByLabel('Your name').fill(ADMIN.name);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await shot('00-setup');
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/home$/);
      await page.getByRole('heading', { name: 'Home' }).waitFor();
    });

    // E2E_PAGES_ONLY=1: only sign in and screenshot every page (useful before all services are composed).
    const scenario = process.env.E2E_PAGES_ONLY !== '1';
    const caption = `E2E smoke ${Date.now()}`;
    if (scenario) await step('connect a webhook account', async () => {
      await page.getByTestId('nav-accounts').click();
      await page.getByTestId('connect-webhook').click();
      await page.getByTestId('field-url').fill(`http://127.0.0.1:${hookPort}/hook`);
      await page.getByTestId('field-secret').fill(HOOK_SECRET);
      await page.getByTestId('connect-submit').click();
      await page.getByRole('cell', { name: 'webhook', exact: true }).waitFor();
    });

    if (scenario) await step('upload an image', async () => {
      const png = path.join(dataDir, 'e2e.png');
      await require('sharp')({ create: { width: 320, height: 200, channels: 3, background: { r: 30, g: 120, b: 200 } } }).png().toFile(png);
      await page.getByTestId('nav-media').click();
      await page.getByTestId('file-input').setInputFiles(png);
      await page.locator('[data-testid="upload-e2e.png"][data-status="done"]').waitFor({ timeout: 60_000 });
      await page.getByTestId('media-e2e.png').waitFor({ timeout: 60_000 });
    });

    if (scenario) await step('schedule a post to the webhook 10 s ahead', async () => {
      await page.getByTestId('nav-schedule').click();
      await page.getByTestId('new-post').click();
      await page.locator('[data-testid="account-webhook"] input').check();
      await page.getByTestId('composer-caption').fill(caption);
      const due = new Date(Date.now() + 12_000);
      await page.getByTestId('composer-date').fill(due.toISOString().slice(0, 10));
      await page.getByTestId('composer-time').fill(due.toISOString().slice(11, 19));
      await page.getByTestId('composer-submit').click();
      await page.locator('mat-dialog-container').waitFor({ state: 'detached' });
    });

    if (scenario) await step('countdown ticks and the badge turns published without a reload', async () => {
      await page.evaluate(() => ((window).__sxNoReload = true));
      const card = page.locator('sx-post-card', { hasText: caption });
      const countdown = card.getByTestId('countdown');
      const first = await countdown.innerText();
      await page.waitForFunction(
        ([cap, before]) => {
          const host = [...document.querySelectorAll('sx-post-card')].find((c) => c.textContent.includes(cap));
          const now = host?.querySelector('[data-testid="countdown"]')?.textContent?.trim();
          return !!now && now !== before.trim();
        },
        [caption, first],
      );
      await shot('02-countdown');
      await card.locator('[data-status="published"]').first().waitFor({ timeout: 90_000 });
      if (!(await page.evaluate(() => (window).__sxNoReload === true))) throw new Error('the page reloaded');
      if (!deliveries.some((d) => d.body.includes(caption))) throw new Error('the webhook receiver got no delivery');
      await shot('03-published');
    });

    for (const [i, p] of PAGES.entries()) {
      await step(`open ${p}`, async () => {
        await page.getByTestId(`nav-${p}`).click();
        await page.waitForURL(new RegExp(`/${p}$`));
        await page.locator('main h1').first().waitFor();
        await pageSettled(page);
        await shot(`page-${String(i + 1).padStart(2, '0')}-${p}`);
      });
    }

    await step('dark theme', async () => {
      await page.getByTestId('nav-schedule').click();
      await page.getByTestId('theme-toggle').click();
      await page.waitForFunction(() => document.documentElement.classList.contains('sx-dark'));
      await shot('page-11-schedule-dark');
    });

    if (problems.length) console.log(`browser reported ${problems.length} problem(s):\n  ${problems.slice(0, 20).join('\n  ')}`);
    console.log(`e2e smoke passed; screenshots in ${path.relative(root, artifacts)}/`);
  } catch (err) {
    await onFailure().catch(() => undefined);
    throw err;
  } finally {
    for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e.message));
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Stop the app we started (by its pid only), waiting for its graceful PostgreSQL shutdown. */
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

main().catch((err) => {
  process.exitCode = 1;
  console.error(`e2e smoke FAILED: ${err.message}`);
});
