#!/usr/bin/env node
// What a person sees on the media and post screens (issue #17 items 1-2): every thumbnail on the grid
// really decodes, the preview shows an image and plays a video, a refused upload reads as refused, the
// media page stays within a request budget, every dashboard route survives a reload, and a post can be
// edited from its card, its calendar chip and its own page. Screenshots go to e2e/artifacts/.
const fs = require('node:fs');
const path = require('node:path');
const { step } = require('./smoke-helpers.cjs');
const { startApp, apiClient, launchBrowser, signIn, appRequests, runSuite } = require('./app-harness.cjs');

const ROUTES = ['home', 'media', 'schedule', 'calendar', 'recurring', 'pipeline', 'ai-templates', 'accounts', 'activity', 'settings'];
const IMAGES = 18;
const MEDIA_BUDGET = { requests: 30, windowMs: 5_000 };

async function makeMedia(dir) {
  const sharp = require('sharp');
  const ffmpeg = require('@ffmpeg-installer/ffmpeg').path;
  const { execFileSync } = require('node:child_process');
  const files = [];
  for (let i = 0; i < IMAGES; i++) {
    const f = path.join(dir, `tile-${String(i).padStart(2, '0')}.png`);
    await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: (i * 37) % 255, g: 120, b: (i * 91) % 255 } } }).png().toFile(f);
    files.push(f);
  }
  const video = path.join(dir, 'clip.mp4');
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '2',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', video]);
  const webm = path.join(dir, 'clip.webm');
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-t', '2', '-c:v', 'libvpx', '-b:v', '200k', webm]);
  return [...files, video, webm];
}

runSuite('media-and-editor', async (s) => {
  const app = await startApp('media');
  s.cleanup.push(app.cleanup);
  const api = apiClient(app.base);

  const assets = await step('admin, a webhook account and 20 media files (18 images, 2 videos)', async () => {
    await api.setup();
    await api.call('POST', '/api/accounts/connect', {
      pluginId: 'webhook', settings: {}, input: { kind: 'webhook_url', url: 'http://127.0.0.1:9/hook', secret: 'e2e-signing-secret-0123456789' },
    });
    for (const f of await makeMedia(app.dataDir)) {
      const res = await fetch(`${app.base}/media/uploads?filename=${encodeURIComponent(path.basename(f))}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/octet-stream' },
        body: fs.readFileSync(f),
      });
      if (!res.ok) throw new Error(`upload ${path.basename(f)}: ${res.status} ${await res.text()}`);
    }
    for (let i = 0; i < 120; i++) {
      const page = await api.call('GET', '/api/files?limit=50');
      if (page.items.length === 20 && page.items.every((a) => a.status === 'ready' && a.urls?.thumbnail)) return page.items;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('the 20 files did not all become ready with a thumbnail');
  });

  const { page, problems, requests, shot } = await launchBrowser(s.cleanup);
  s.onFailure = () => shot('media-failure');
  await step('sign in', () => signIn(page, app.base));

  await step(`media page: ≤ ${MEDIA_BUDGET.requests} requests in its first 5 s, every thumbnail decodes`, async () => {
    // Home first settles (its own requests are not the media page's).
    await page.waitForFunction(() => document.querySelector('[data-testid="stat-scheduled"] [data-testid="stat-value"]')?.textContent?.trim() !== '—');
    await page.waitForTimeout(1_500);
    const since = Date.now();
    await page.getByTestId('nav-media').click();
    await page.waitForURL(/\/media$/);
    await page.waitForFunction((n) => {
      const imgs = [...document.querySelectorAll('.sx-tile img')];
      return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
    }, 20, { timeout: 15_000 });
    await page.waitForTimeout(Math.max(0, since + MEDIA_BUDGET.windowMs - Date.now()));
    // The budget counts what the page asks the server for (API and media bytes); the app's own code
    // chunks and fonts are static files, fetched once per visit whatever the data.
    const all = appRequests(requests, app.base, since, MEDIA_BUDGET.windowMs);
    const made = all.filter((r) => !/\.(js|css|woff2?)$/.test(new URL(r.url).pathname));
    const thumbs = made.filter((r) => /\/thumbnail$/.test(new URL(r.url).pathname)).length;
    console.log(`    media page: ${made.length} data requests in 5 s (${thumbs} thumbnails; plus ${all.length - made.length} code/font files)`);
    if (made.length > MEDIA_BUDGET.requests) throw new Error(`${made.length} requests in 5 s: ${made.slice(0, 40).map((r) => new URL(r.url).pathname).join(' ')}`);
    if (thumbs !== 20) throw new Error(`expected each of the 20 thumbnails fetched once, got ${thumbs}`);
    const widths = await page.$$eval('.sx-tile img', (imgs) => imgs.map((i) => i.naturalWidth));
    if (widths.length !== 20 || widths.some((w) => !(w > 0))) throw new Error(`thumbnail widths: ${widths.join(',')}`);
    await shot('media-01-grid');
  });

  await step('preview shows an image', async () => {
    await page.getByRole('button', { name: 'Preview tile-03.png' }).click();
    await page.waitForFunction(() => {
      const img = document.querySelector('mat-dialog-container img');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    await shot('media-02-preview-image');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('mat-dialog-container').waitFor({ state: 'detached' });
  });

  for (const name of ['clip.mp4', 'clip.webm']) {
    await step(`preview plays ${name} (readyState ≥ 2)`, async () => {
      await page.getByRole('button', { name: `Preview ${name}` }).click();
      const video = page.locator('mat-dialog-container video');
      await video.waitFor();
      await page.waitForFunction(() => (document.querySelector('mat-dialog-container video')?.readyState ?? 0) >= 2, null, { timeout: 15_000 });
      await video.evaluate((v) => v.play());
      await page.waitForFunction(() => (document.querySelector('mat-dialog-container video')?.currentTime ?? 0) > 0.2, null, { timeout: 10_000 });
      await shot(`media-03-preview-${name.replace('.', '-')}`);
      await page.getByRole('button', { name: 'Close' }).click();
      await page.locator('mat-dialog-container').waitFor({ state: 'detached' });
    });
  }

  await step('a refused upload reads as refused: no full bar, no Resume', async () => {
    const fake = path.join(app.dataDir, 'not-an-image.png');
    fs.writeFileSync(fake, 'this is plain text pretending to be a PNG');
    const before = problems.length;
    await page.getByTestId('file-input').setInputFiles(fake);
    const row = page.locator('[data-testid="upload-not-an-image.png"]');
    await row.and(page.locator('[data-status="rejected"]')).waitFor({ timeout: 30_000 });
    if (await row.locator('mat-progress-bar').count()) throw new Error('a progress bar is still shown for the refused file');
    if (await row.getByRole('button', { name: /Resume/ }).count()) throw new Error('a Resume button is offered for the refused file');
    if (!(await row.getByRole('alert').innerText()).trim()) throw new Error('no reason shown');
    await shot('media-04-rejected-upload');
    // The browser logs the refused request itself; that one is expected, anything else is not.
    const added = problems.splice(before);
    problems.push(...added.filter((p) => !/media\/tus|Failed to load resource: the server responded with a status of 4\d\d/.test(p)));
  });

  const postId = await step('a post to edit (webhook, 2 h ahead)', async () => {
    const accounts = await api.call('GET', '/api/accounts');
    const acc = accounts.items[0];
    const at = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const res = await api.call('POST', '/api/schedule', {
      post: { title: 'Launch note', text: 'First draft of the launch note', hashtags: ['#launch'], mediaIds: [], overrides: {}, targets: [{ accountId: acc.id, platform: acc.platform }] },
      when: { mode: 'at', at },
      zone: 'UTC',
    });
    return res.postId;
  });

  await step('every dashboard route survives a reload (deep link)', async () => {
    for (const r of [...ROUTES, `posts/${postId}`]) {
      const res = await page.goto(`${app.base}/${r}`);
      const type = res?.headers()['content-type'] ?? '';
      if (!res || res.status() !== 200 || !type.includes('text/html')) throw new Error(`/${r} answered ${res?.status()} ${type}`);
      await page.locator('main h1').first().waitFor();
      if (!page.url().endsWith(`/${r}`)) throw new Error(`/${r} ended at ${page.url()}`);
    }
  });

  await step('edit a post from its card: content and time saved, shown without a reload', async () => {
    await page.goto(`${app.base}/schedule`);
    const card = page.getByTestId(`post-${postId}`);
    await card.getByTestId('edit-post').click();
    const dialog = page.locator('mat-dialog-container');
    await dialog.getByRole('heading', { name: 'Edit post' }).waitFor();
    const caption = dialog.getByTestId('composer-caption');
    if ((await caption.inputValue()) !== 'First draft of the launch note') throw new Error('the editor did not open with the post text');
    await caption.fill('Final launch note, edited in the dashboard');
    const due = new Date(Date.now() + 3 * 3_600_000);
    await dialog.getByTestId('composer-date').fill(due.toISOString().slice(0, 10));
    await dialog.getByTestId('composer-time').fill(due.toISOString().slice(11, 16) + ':00');
    await shot('editor-01-edit-dialog');
    await dialog.getByTestId('composer-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText('Final launch note, edited in the dashboard').or(card.getByText('Launch note')).first().waitFor();
    const detail = await api.call('GET', `/api/schedule/post/${postId}`);
    if (detail.post.text !== 'Final launch note, edited in the dashboard') throw new Error(`saved text: ${detail.post.text}`);
    if (detail.post.hashtags.join() !== '#launch') throw new Error(`hashtags were not kept: ${detail.post.hashtags}`);
    const live = detail.jobs.filter((j) => j.state === 'pending');
    if (live.length !== 1 || Math.abs(Date.parse(live[0].dueAt) - due.setSeconds(0, 0)) > 60_000) throw new Error(`jobs after edit: ${JSON.stringify(detail.jobs.map((j) => [j.state, j.dueAt]))}`);
    await shot('editor-02-schedule-after-edit');
  });

  await step('cancel: the card says cancelled, offers Edit (as the dialog promised) and no stale chip', async () => {
    const card = page.getByTestId(`post-${postId}`);
    await card.getByRole('button', { name: 'Cancel' }).click();
    const confirm = page.locator('mat-dialog-container');
    const text = await confirm.innerText();
    if (!/edit it and schedule it again/i.test(text)) throw new Error(`cancel dialog says: ${text}`);
    await confirm.getByRole('button', { name: 'Cancel post' }).click();
    await card.locator('[data-testid="badge"][data-state="cancelled"]').first().waitFor();
    await card.getByTestId('edit-post').waitFor();
  });

  await step('calendar: the cancelled chip looks cancelled; a click opens the editor; week and day show hours', async () => {
    await page.getByTestId('nav-calendar').click();
    const chip = page.getByTestId(`chip-${postId}`).first();
    await chip.waitFor();
    if ((await chip.getAttribute('data-status')) !== 'cancelled') throw new Error(`chip status ${await chip.getAttribute('data-status')}`);
    const deco = await chip.evaluate((el) => getComputedStyle(el).textDecorationLine);
    if (!deco.includes('line-through')) throw new Error('a cancelled chip must not look like a pending one');
    await chip.click();
    const dialog = page.locator('mat-dialog-container');
    await dialog.getByRole('heading', { name: 'Edit post' }).waitFor();
    const due = new Date(Date.now() + 26 * 3_600_000);
    await dialog.getByTestId('composer-date').fill(due.toISOString().slice(0, 10));
    await dialog.getByTestId('composer-time').fill('10:00:00');
    await dialog.getByTestId('composer-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="chip-${postId}"][data-status="pending"]`).first().waitFor();
    await shot('calendar-01-month');
    await page.getByRole('button', { name: 'Week' }).or(page.getByText('Week', { exact: true })).first().click();
    await page.getByTestId(`hour-${due.toISOString().slice(0, 10)}-10`).getByTestId(`chip-${postId}`).waitFor();
    await shot('calendar-02-week-hours');
    await page.getByTestId(`hour-${due.toISOString().slice(0, 10)}-14`).click();
    const compose = page.locator('mat-dialog-container');
    await compose.getByRole('heading', { name: 'New post' }).waitFor();
    if ((await compose.getByTestId('composer-time').inputValue()).slice(0, 5) !== '14:00') throw new Error('compose-from-hour did not start at 14:00');
    await compose.getByRole('button', { name: 'Cancel' }).click();
    await compose.waitFor({ state: 'detached' });
  });

  await step('post detail page: content, jobs, history; Edit from there', async () => {
    await page.goto(`${app.base}/posts/${postId}`);
    await page.getByTestId('post-text').getByText('Final launch note, edited in the dashboard').waitFor();
    await page.getByRole('table', { name: 'History of this post' }).waitFor();
    await page.getByTestId('post-detail-card').getByTestId('edit-post').click();
    await page.locator('mat-dialog-container').getByRole('heading', { name: 'Edit post' }).waitFor();
    await shot('editor-03-from-detail');
    await page.locator('mat-dialog-container').getByRole('button', { name: 'Cancel' }).click();
    await page.locator('mat-dialog-container').waitFor({ state: 'detached' });
    await shot('post-detail');
  });

  if (problems.length) throw new Error(`browser reported ${problems.length} problem(s):\n  ${problems.slice(0, 20).join('\n  ')}`);
});
