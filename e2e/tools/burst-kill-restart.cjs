#!/usr/bin/env node
// Manual crash check (issue #15 items 2 and 4), not part of `npm test`: N posts due at one instant on one webhook
// account pointed at a local receiver, kill -9 of the embedded app DELAY_MS after the instant, restart on the same
// data directory. Prints delivered once / duplicated / never, job states, and how long after the restart was
// healthy every job had fired (left pending/armed) and every job was terminal.
// Env: POSTS (100), DELAY_MS (300), LEASE_MS (app default). Needs `npx nx run-many -t build -p embedded dashboard`.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { freePort, waitFor } = require('../smoke-helpers.cjs');
const { startReceiver, startApp, apiClient, sleep } = require('../crash-helpers.cjs');

const POSTS = Number(process.env.POSTS ?? 100);
const DELAY_MS = Number(process.env.DELAY_MS ?? 300);
const TERMINAL = new Set(['published', 'failed', 'cancelled', 'unknown']);

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-burst-'));
  fs.chmodSync(dataDir, 0o755);
  const logFile = path.join(dataDir, '..', `${path.basename(dataDir)}.log`);
  const ports = { port: await freePort(net), pgPort: await freePort(net), hook: await freePort(net) };
  const receiver = await startReceiver(ports.hook);
  const env = process.env.LEASE_MS ? { SX_SCHEDULER_LEASE_MS: process.env.LEASE_MS } : {};
  let app;
  try {
    app = await startApp({ dataDir, port: ports.port, pgPort: ports.pgPort, logFile, env });
    const api = apiClient(app.base);
    await api.setup();
    let account;
    await waitFor(async () => {
      const r = await api.call('POST', '/accounts/connect', {
        pluginId: 'webhook', settings: {}, input: { kind: 'webhook_url', url: `http://127.0.0.1:${ports.hook}/hook`, secret: 'burst-test-signing-secret' },
      }).catch(() => undefined); // 503 while the plugins still load on a busy machine
      account = r?.account;
      return Boolean(account);
    }, 60_000, 'webhook account connected');
    const due = new Date(Date.now() + 15_000 + POSTS * 40);
    for (let i = 0; i < POSTS; i++) {
      await api.call('POST', '/schedule', { post: { text: `burst post ${i}`, targets: [{ accountId: account.id, platform: 'webhook' }] }, when: { mode: 'at', at: due.toISOString() }, zone: 'UTC' });
    }
    await sleep(due.getTime() + DELAY_MS - Date.now());
    await app.kill9();
    const beforeRestart = receiver.received;
    const killedAt = Date.now();
    app = await startApp({ dataDir, port: ports.port, pgPort: ports.pgPort, logFile, env });
    const healthyAt = Date.now();
    api.setBase(app.base);
    await api.login();
    let jobs = [];
    let allFiredAt = 0;
    // When the receiver last got a delivery (polled: the receiver keeps counts, not times).
    let lastDeliveryAt = healthyAt;
    let seen = receiver.received;
    const watch = setInterval(() => {
      if (receiver.received !== seen) (seen = receiver.received), (lastDeliveryAt = Date.now());
    }, 100);
    await waitFor(async () => {
      jobs = await api.jobs();
      if (!allFiredAt && jobs.every((j) => j.state !== 'pending' && j.state !== 'armed')) allFiredAt = Date.now();
      return jobs.length === POSTS && jobs.every((j) => TERMINAL.has(j.state));
    }, 240_000, 'all jobs terminal').catch(() => undefined);
    const terminalAt = Date.now();
    await sleep(2_000); // a duplicate would show up now
    clearInterval(watch);
    jobs = await api.jobs();
    const states = {};
    for (const j of jobs) states[j.state] = (states[j.state] ?? 0) + 1;
    const deliveries = jobs.map((j) => receiver.byKey.get(`sx-${j.id}`) ?? 0);
    const stats = await api.call('GET', '/schedule/stats');
    const firedAfterHealthy = jobs.filter((j) => j.firedAt).map((j) => Date.parse(j.firedAt) - healthyAt).sort((a, b) => a - b);
    console.log(JSON.stringify({
      posts: POSTS, killDelayMs: DELAY_MS, deliveredBeforeKill: beforeRestart,
      deliveredOnce: deliveries.filter((n) => n === 1).length, duplicated: deliveries.filter((n) => n > 1).length,
      neverDelivered: deliveries.filter((n) => n === 0).length, jobStates: states,
      publishedButNotDelivered: jobs.filter((j, i) => j.state === 'published' && deliveries[i] === 0).length,
      deliveredButNotPublished: jobs.filter((j, i) => j.state !== 'published' && deliveries[i] > 0).length,
      stuck: jobs.filter((j) => !TERMINAL.has(j.state)).length,
      restartToHealthyS: (healthyAt - killedAt) / 1000,
      healthyToAllFiredS: allFiredAt ? (allFiredAt - healthyAt) / 1000 : null,
      lastFireAfterHealthyS: firedAfterHealthy.length ? firedAfterHealthy[firedAfterHealthy.length - 1] / 1000 : null,
      healthyToAllTerminalS: (terminalAt - healthyAt) / 1000,
      deliveredAfterRestart: receiver.received - beforeRestart,
      healthyToLastDeliveryS: (lastDeliveryAt - healthyAt) / 1000,
      stats,
      reasons: jobs.reduce((m, j) => { const k = `${j.state}: ${j.lastError ?? j.reason ?? ''}`.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>').slice(0, 120); m[k] = (m[k] ?? 0) + 1; return m; }, {}),
    }, null, 1));
  } finally {
    await app?.stop().catch(() => undefined);
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
