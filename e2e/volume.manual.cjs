#!/usr/bin/env node
// Manual (`node e2e/volume.manual.cjs` after building embedded + dashboard); see e2e/README.md.
// The dashboard at 5,000 posts (issue #17 item 3), seeded with SQL in a second: Home's counts equal
// the scheduler's stats, the Schedule list reaches the very last post (server-side keyset pages and
// filters), Calendar month draws within its budget in one or two requests (render time and request
// count are printed), and a burst of live post events costs at most one refetch per view per second.
const { step } = require('./smoke-helpers.cjs');
const { WORKSPACE_ID, startApp, apiClient, launchBrowser, signIn, appRequests, runSuite } = require('./app-harness.cjs');

const POSTS = 5_000;
const CALENDAR_BUDGET = { renderMs: 1_000, requests: 2 };
const HOUR = 3_600_000;

/** Monday 00:00 UTC of the week holding the 1st of this month: where the month grid starts. */
function monthGrid(nowMs) {
  const now = new Date(nowMs);
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const dow = (new Date(first).getUTCDay() + 6) % 7;
  const start = first - dow * 86_400_000;
  return { start, end: start + 42 * 86_400_000 - 1 };
}

/**
 * 5,000 posts on one webhook account, all inside the visible month grid: every 10th published in the
 * past (three of them today), every 50th failed in the past, the rest pending in the future.
 */
async function seed(db, account, nowMs) {
  const grid = monthGrid(nowMs);
  const pastFrom = grid.start;
  const pastTo = Math.max(grid.start + HOUR, nowMs - 2 * HOUR);
  const futureFrom = nowMs + 2 * HOUR;
  const futureTo = grid.end - HOUR;
  const today = Date.UTC(new Date(nowMs).getUTCFullYear(), new Date(nowMs).getUTCMonth(), new Date(nowMs).getUTCDate());
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO scheduler.posts (workspace_id, title, text, hashtags, created_by, created_at, updated_at)
     SELECT $1, 'Seeded post ' || g, 'Seeded caption number ' || g, '["#seed"]', 'e2e-seed', now(), now() FROM generate_series(1, $2) g`,
    [WORKSPACE_ID, POSTS],
  );
  await db.query(
    `INSERT INTO scheduler.post_targets (workspace_id, post_id, account_id, platform)
     SELECT $1, id, $2, $3 FROM scheduler.posts WHERE created_by = 'e2e-seed'`,
    [WORKSPACE_ID, account.id, account.platform],
  );
  // One one-off schedule per post; the job's due time and state follow from the post's number n.
  await db.query(
    `INSERT INTO scheduler.schedules (workspace_id, name, kind, recurrence, zone, start_at, action, post_id, catch_up, created_at, updated_at)
     SELECT $1, p.title, 'once', jsonb_build_object('kind', 'once', 'at', now()), 'UTC', now(),
       jsonb_build_object('type', 'publish_post', 'postId', p.id), p.id, '{"mode":"skip"}', now(), now()
     FROM scheduler.posts p WHERE p.created_by = 'e2e-seed'`,
    [WORKSPACE_ID],
  );
  await db.query(
    `WITH n AS (
       SELECT p.id AS post_id, s.id AS schedule_id, t.id AS target_id, substring(p.title from '\\d+$')::int AS n
       FROM scheduler.posts p JOIN scheduler.schedules s ON s.post_id = p.id JOIN scheduler.post_targets t ON t.post_id = p.id
       WHERE p.created_by = 'e2e-seed'),
     d AS (
       SELECT n.*, CASE WHEN n % 10 = 0 THEN 'published' WHEN n % 50 = 1 THEN 'failed' ELSE 'pending' END AS state FROM n)
     INSERT INTO scheduler.publish_jobs (workspace_id, schedule_id, post_id, target_id, account_id, platform, kind, occurrence_key, zone,
       due_at, fire_at, state, attempt, published_at, url, platform_post_id, last_error, created_at, updated_at)
     SELECT $1, schedule_id, post_id, target_id, $2, $3, 'publish', 'e2e-seed:' || n, 'UTC', due, due, state,
       CASE WHEN state = 'pending' THEN 0 ELSE 1 END,
       CASE WHEN state = 'published' THEN (CASE WHEN n IN (10, 20, 30) THEN $8::timestamptz + interval '1 minute' * n ELSE due END) END,
       CASE WHEN state = 'published' THEN 'http://127.0.0.1/hook/' || n END,
       CASE WHEN state = 'published' THEN 'hook-' || n END,
       CASE WHEN state = 'failed' THEN 'rejected: seeded failure' END,
       now(), now()
     FROM d, LATERAL (SELECT CASE WHEN state = 'pending'
       THEN to_timestamp(($6::float8 + (($7::float8 - $6::float8) * ((n * 7919) % $9::int)::float8 / $9::int)) / 1000.0)
       ELSE to_timestamp(($4::float8 + (($5::float8 - $4::float8) * ((n * 7919) % $9::int)::float8 / $9::int)) / 1000.0) END AS due) AS x`,
    [WORKSPACE_ID, account.id, account.platform, pastFrom, pastTo, futureFrom, futureTo, new Date(Math.min(today, nowMs - 2 * HOUR)), POSTS],
  );
  await db.query('COMMIT');
  return grid;
}

const statText = async (page, id) => (await page.getByTestId(id).getByTestId('stat-value').innerText()).trim();

runSuite('volume', async (s) => {
  const app = await startApp('volume');
  s.cleanup.push(app.cleanup);
  const api = apiClient(app.base);

  const account = await step(`seed ${POSTS} posts with SQL`, async () => {
    await api.setup();
    await api.call('POST', '/api/accounts/connect', {
      pluginId: 'webhook', settings: {}, input: { kind: 'webhook_url', url: 'http://127.0.0.1:9/hook', secret: 'e2e-signing-secret-0123456789' },
    });
    const acc = (await api.call('GET', '/api/accounts')).items[0];
    await seed(app.db, acc, Date.now());
    return acc;
  });

  const { page, problems, requests, shot } = await launchBrowser(s.cleanup);
  s.onFailure = () => shot('volume-failure');
  await step('sign in', () => signIn(page, app.base));

  await step("Home's counts are the scheduler's stats", async () => {
    const stats = await api.call('GET', '/api/schedule/stats?zone=UTC');
    const want = { 'stat-scheduled': stats.pending, 'stat-today': stats.postingToday, 'stat-published': stats.publishedToday, 'stat-failed': stats.failed + stats.unknown };
    if (stats.total !== POSTS) throw new Error(`stats.total is ${stats.total}`);
    await page.waitForFunction((n) => document.querySelector('[data-testid="stat-scheduled"] [data-testid="stat-value"]')?.textContent?.trim() === String(n), stats.pending);
    for (const [id, n] of Object.entries(want)) {
      const shown = await statText(page, id);
      if (shown !== String(n)) throw new Error(`${id} shows ${shown}, the API says ${n}`);
    }
    console.log(`    stats: ${JSON.stringify(stats)}`);
    await shot('volume-01-home');
  });

  await step('Schedule: server-side filters; Load more reaches the last of 5,000 posts', async () => {
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('schedule-count').getByText(`of ${POSTS} post(s)`).waitFor();
    await page.getByTestId('schedule-status').click();
    await page.getByRole('option', { name: 'Published' }).click();
    await page.getByTestId('schedule-count').getByText(`of ${POSTS / 10} post(s)`).waitFor();
    await page.getByTestId('schedule-status').click();
    await page.getByRole('option', { name: 'All' }).click();
    await page.getByTestId('schedule-count').getByText(`of ${POSTS} post(s)`).waitFor();
    // The table view, so 5,000 rows stay light; the last post by due time is the latest pending one.
    await page.getByRole('radio', { name: 'Table' }).or(page.getByLabel('Table')).first().click();
    const t0 = Date.now();
    let clicks = 0;
    while (await page.getByTestId('schedule-more').isVisible()) {
      await page.getByTestId('schedule-more').click();
      clicks++;
      await page.waitForFunction(() => !document.querySelector('[data-testid="schedule-more"][disabled]'));
      if (clicks > POSTS / 10) throw new Error('Load more never ended');
    }
    await page.getByTestId('schedule-count').getByText(`Showing ${POSTS} of ${POSTS} post(s)`).waitFor();
    const rows = await page.locator('tr[data-testid^="row-"]').count();
    if (rows !== POSTS) throw new Error(`${rows} rows shown`);
    const lastRowText = await page.locator('tr[data-testid^="row-"]').last().innerText();
    console.log(`    schedule: ${rows} rows after ${clicks} "Load more" in ${((Date.now() - t0) / 1000).toFixed(1)} s; last row: ${lastRowText.split('\n')[0]}`);
    await shot('volume-02-schedule-end');
    await page.getByRole('radio', { name: 'Cards' }).or(page.getByLabel('Cards')).first().click();
  });

  await step('Calendar month: 5,000 chips within the render and request budget', async () => {
    await page.getByTestId('nav-home').click();
    await page.waitForURL(/\/home$/);
    await page.waitForTimeout(300);
    const since = Date.now();
    await page.getByTestId('nav-calendar').click();
    const metrics = page.getByTestId('calendar-metrics');
    await page.waitForFunction(() => document.querySelector('[data-testid="calendar-metrics"]')?.getAttribute('data-render-ms'));
    const wall = Date.now() - since;
    const renderMs = Number(await metrics.getAttribute('data-render-ms'));
    const count = Number(await metrics.getAttribute('data-count'));
    const api = appRequests(requests, app.base, since, wall + 500).filter((r) => new URL(r.url).pathname.startsWith('/api/'));
    const calendarCalls = api.filter((r) => new URL(r.url).pathname === '/api/schedule/calendar');
    console.log(`    CALENDAR month at ${count} posts: request → drawn ${renderMs} ms (click → drawn ${wall} ms), ${api.length} API request(s), ${calendarCalls.length} to /api/schedule/calendar`);
    if (count !== POSTS) throw new Error(`calendar shows ${count} posts, expected ${POSTS}`);
    if (renderMs > CALENDAR_BUDGET.renderMs) throw new Error(`calendar took ${renderMs} ms (budget ${CALENDAR_BUDGET.renderMs})`);
    if (calendarCalls.length > CALENDAR_BUDGET.requests) throw new Error(`${calendarCalls.length} calendar requests`);
    const chips = await page.locator('.sx-cal-chip').count();
    if (chips === 0 || chips > 42 * 3) throw new Error(`${chips} chips drawn`);
    await shot('volume-03-calendar-month');
  });

  await step('a burst of 40 new posts while Schedule is open: at most one refetch per second', async () => {
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('schedule-count').getByText(`of ${POSTS} post(s)`).waitFor();
    await page.waitForTimeout(1_200);
    const since = Date.now();
    const at = new Date(Date.now() + 5 * HOUR).toISOString();
    await Promise.all(Array.from({ length: 40 }, (_, i) => api.call('POST', '/api/schedule', {
      post: { text: `Burst ${i}`, hashtags: [], mediaIds: [], overrides: {}, targets: [{ accountId: account.id, platform: account.platform }] },
      when: { mode: 'at', at },
      zone: 'UTC',
    })));
    await page.getByTestId('schedule-count').getByText(`of ${POSTS + 40} post(s)`).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1_500);
    const seconds = (Date.now() - since) / 1000;
    const feed = appRequests(requests, app.base, since).filter((r) => new URL(r.url).pathname === '/api/schedule/feed').length;
    const tooMany = problems.filter((p) => p.startsWith('HTTP 429'));
    console.log(`    burst: ${feed} feed refetch(es) in ${seconds.toFixed(1)} s for 40 post.scheduled events`);
    if (feed > Math.ceil(seconds) + 1) throw new Error(`${feed} refetches in ${seconds.toFixed(1)} s`);
    if (tooMany.length) throw new Error(`429s: ${tooMany.join(', ')}`);
  });

  if (problems.length) throw new Error(`browser reported ${problems.length} problem(s):\n  ${problems.slice(0, 20).join('\n  ')}`);
});
