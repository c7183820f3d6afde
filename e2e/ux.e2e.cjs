#!/usr/bin/env node
// What a first-time user sees: the first-run Home, a Mastodon account connected through the UI against
// the mastodon plugin's contract server (instance URL → app registration → consent page → callback),
// its posting times, then every page checked with axe-core (0 critical, 0 serious, counts printed) in
// light and dark, no horizontal overflow at 390×844, 0 console errors; screenshots in e2e/artifacts/ux-*.
const fs = require('node:fs');
const path = require('node:path');
const { step } = require('./smoke-helpers.cjs');
const { artifacts, assertBuilt, startContractServer, startApp, launchBrowser, signUp } = require('./ux-harness.cjs');
const { axeCounts, horizontalOverflow, settle } = require('./ux-checks.cjs');

const PAGES = ['home', 'media', 'schedule', 'calendar', 'recurring', 'pipeline', 'ai-templates', 'accounts', 'activity', 'logs', 'settings'];
const NO_OVERFLOW = ['home', 'schedule', 'calendar'];
const ADMIN = { name: 'Ada First', email: 'ada@ux.test', password: 'ux-password-123456' };

async function main() {
  assertBuilt();
  for (const f of fs.readdirSync(artifacts).filter((n) => n.startsWith('ux-'))) fs.rmSync(path.join(artifacts, f));
  const cleanup = [];
  let shot = async () => undefined;
  try {
    const mastodon = await step('start the Mastodon contract server', () => startContractServer('mastodon', cleanup));
    const { base } = await step('start the embedded app', () => startApp(cleanup, 'ux-server.log'));
    const { page } = await launchBrowser(cleanup);
    const problems = [];
    const refused = []; // which requests the console errors were about
    page.on('response', (r) => r.status() >= 400 && refused.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // A refused request shows up as a console error; the deny step expects exactly one (the callback's 400).
    let expected4xx = 0;
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (expected4xx > 0 && /status of 4\d\d/.test(m.text())) return void expected4xx--;
      problems.push(`console: ${m.text()}`);
    });
    shot = (name) => page.screenshot({ path: path.join(artifacts, `ux-${name}.png`), fullPage: true });

    await step('first run: sign up lands on a Home that says what to do next', async () => {
      await signUp(page, base, ADMIN);
      const guide = page.getByTestId('getting-started');
      await guide.waitFor();
      for (const text of ['Connect an account', 'Upload media', 'Schedule your first post']) await guide.getByText(text).first().waitFor();
      await page.getByTestId('home-new-post').waitFor();
      await shot('first-run-home');
    });

    await step('connect Mastodon: instance URL → consent page → back, connected', async () => {
      await page.getByTestId('nav-accounts').click();
      await page.getByTestId('connect-mastodon').click();
      const dialog = page.locator('mat-dialog-container');
      if (await dialog.getByTestId('field-accessToken').count()) throw new Error('the form asks for a raw access token');
      await dialog.getByTestId('field-instanceUrl').fill(mastodon.url);
      await shot('connect-mastodon-form');
      await dialog.getByTestId('connect-submit').click();
      await page.waitForURL((u) => u.toString().startsWith(`${mastodon.url}/oauth/authorize`));
      await page.getByRole('heading', { name: 'Authorization required' }).waitFor();
      await shot('mastodon-consent');
      await page.getByRole('button', { name: 'Authorize' }).click();
      await page.waitForURL(`${base}/accounts`);
      await page.locator('td.mat-column-name', { hasText: 'SX Tester' }).waitFor();
    });

    await step('a denied authorization shows the reason, and nothing is connected', async () => {
      expected4xx = 1;
      await page.getByTestId('connect-mastodon').click();
      await page.locator('mat-dialog-container').getByTestId('field-instanceUrl').fill(mastodon.url);
      await page.locator('mat-dialog-container').getByTestId('connect-submit').click();
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForURL(`${base}/accounts`);
      await page.getByText(/did not authorize: access_denied/).first().waitFor();
      if ((await page.locator('td.mat-column-name', { hasText: 'SX Tester' }).count()) !== 1) throw new Error('a denied authorization changed the accounts');
    });

    await step('posting times: add 10:15, gap 90 min, saved', async () => {
      await page.getByTestId('slots-mastodon').click();
      const dialog = page.locator('mat-dialog-container');
      await dialog.getByTestId('slot-times').waitFor();
      await dialog.getByRole('button', { name: /^Remove / }).first().waitFor();
      const removes = dialog.getByRole('button', { name: /^Remove / });
      // Click one, then wait for the list to shrink: counting and clicking in one breath races the re-render.
      for (let n = await removes.count(); n > 0; n = await removes.count()) {
        await removes.first().click();
        await removes.nth(n - 1).waitFor({ state: 'detached' });
      }
      await dialog.getByTestId('slot-new-time').fill('10:15');
      await dialog.getByTestId('slot-add').click();
      await dialog.getByTestId('slot-spacing').fill('90');
      await dialog.getByTestId('slot-save').click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('slots-mastodon').click();
      await dialog.getByText('10:15').waitFor();
      if ((await dialog.getByTestId('slot-times').getByRole('listitem').count()) !== 1) throw new Error('the saved times are not exactly [10:15]');
      if ((await dialog.getByTestId('slot-spacing').inputValue()) !== '90') throw new Error('the gap was not saved');
      await shot('posting-times');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });

    await step('Logs: the services\' recent lines stream in, filterable, with no secret in them', async () => {
      await page.getByTestId('nav-logs').click();
      await page.getByTestId('log-line').first().waitFor();
      await page.getByTestId('logs-live').getByText('Live').waitFor();
      const text = await page.getByTestId('log-lines').innerText();
      if (/Bearer (?!\[redacted\])\S{8,}|access_token=(?!\[redacted\])/i.test(text)) throw new Error('a token is visible in the logs');
      await page.getByTestId('logs-level').click();
      await page.getByRole('option', { name: 'Errors only' }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="log-line"] .sx-level')].every((l) => /error|fatal/i.test(l.textContent ?? '')));
      await shot('logs');
    });

    const report = [];
    // Every page is checked before the suite fails, so one run lists everything to fix.
    const failures = [];
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') {
        await page.getByTestId('theme-toggle').click();
        await page.waitForFunction(() => document.documentElement.classList.contains('sx-dark'));
      }
      for (const p of PAGES) {
        await step(`${theme}: ${p} has no critical or serious axe violations`, async () => {
          await page.getByTestId(`nav-${p}`).click();
          await page.waitForURL(new RegExp(`/${p}$`));
          await settle(page);
          await shot(`${theme}-${p}`);
          const counts = await axeCounts(page);
          report.push({ theme, page: p, ...counts });
          if (counts.critical || counts.serious) failures.push(`${theme} ${p}: ${counts.critical} critical, ${counts.serious} serious — ${counts.rules.join('; ')}`);
        });
      }
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/home`);
    for (const p of PAGES) {
      await step(`mobile 390×844: ${p}${NO_OVERFLOW.includes(p) ? ' does not scroll sideways' : ''}`, async () => {
        await page.getByRole('button', { name: 'Open navigation' }).click();
        await page.getByTestId(`nav-${p}`).click();
        await page.waitForURL(new RegExp(`/${p}$`));
        await page.locator('main h1').first().waitFor();
        await settle(page);
        await shot(`mobile-${p}`);
        if (NO_OVERFLOW.includes(p)) {
          const over = await horizontalOverflow(page);
          if (over) failures.push(`mobile ${p} scrolls sideways: ${over}`);
        }
      });
    }
    await step('mobile 390×844: the composer does not scroll sideways', async () => {
      await page.getByRole('button', { name: 'Open navigation' }).click();
      await page.getByTestId('nav-home').click();
      await page.getByTestId('home-new-post').click();
      await page.getByTestId('composer-caption').waitFor();
      await shot('mobile-composer');
      const over = await horizontalOverflow(page);
      if (over) failures.push(`mobile composer scrolls sideways: ${over}`);
    });

    console.log('\naxe-core violations per page (critical / serious / moderate / minor):');
    for (const r of report) console.log(`  ${r.theme.padEnd(5)} ${r.page.padEnd(13)} ${r.critical} / ${r.serious} / ${r.moderate} / ${r.minor}${r.others.length ? `  (${r.others.join(', ')})` : ''}`);
    if (failures.length) throw new Error(`${failures.length} check(s) failed:\n  ${failures.join('\n  ')}`);
    if (problems.length) throw new Error(`the browser reported ${problems.length} error(s):\n  ${problems.slice(0, 20).join('\n  ')}\n refused requests:\n  ${refused.join('\n  ')}`);
    console.log('ux suite passed; screenshots in e2e/artifacts/ux-*.png');
  } catch (err) {
    await shot('failure').catch(() => undefined);
    throw err;
  } finally {
    for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e.message));
  }
}

main().catch((err) => {
  process.exitCode = 1;
  console.error(`e2e ux FAILED: ${err.message}`);
});
