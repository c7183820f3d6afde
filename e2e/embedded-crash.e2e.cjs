#!/usr/bin/env node
// Crash test of embedded mode (issue #15.1): a burst of posts due at one instant on one webhook account
// (past its 60-a-minute budget), the app killed with SIGKILL while calls are in flight, restarted on the
// same data directory. Every post must end published and delivered exactly once, except the calls the
// kill cut: those must end `unknown` (the webhook plugin cannot look a delivery up), delivered at most
// once. No job may be left in a non-terminal state, and no post may reach the receiver twice. Env: CRASH_POSTS (default 100).
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { step, waitFor, freePort } = require('./smoke-helpers.cjs');
const { startReceiver, startApp, apiClient, sleep } = require('./crash-helpers.cjs');

const POSTS = Number(process.env.CRASH_POSTS ?? 100);
const ANSWERED_BEFORE_KILL = 30;
const CUT_BY_KILL = 4;
const PUBLISHER_CONCURRENCY = 16;
const TERMINAL = new Set(['published', 'failed', 'cancelled', 'unknown']);

async function main() {
  const t0 = Date.now();
  const artifacts = path.join(__dirname, 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  const logFile = path.join(artifacts, 'embedded-crash.log');
  fs.writeFileSync(logFile, '');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-crash-'));
  fs.chmodSync(dataDir, 0o755);
  const ports = { port: await freePort(net), pgPort: await freePort(net), hook: await freePort(net) };
  const receiver = await startReceiver(ports.hook);
  const env = { SX_SCHEDULER_LEASE_MS: '15000' };
  let app;
  try {
    app = await step('start the embedded app', () => startApp({ dataDir, port: ports.port, pgPort: ports.pgPort, logFile, env }));
    const api = apiClient(app.base);
    await api.setup();
    const account = await step('connect a webhook account to the local receiver', async () => {
      const r = await api.call('POST', '/accounts/connect', {
        pluginId: 'webhook', settings: {}, input: { kind: 'webhook_url', url: `http://127.0.0.1:${ports.hook}/hook`, secret: 'crash-test-signing-secret' },
      });
      return r.account;
    });
    const due = new Date(Date.now() + 20_000);
    await step(`schedule ${POSTS} posts due at ${due.toISOString()}`, async () => {
      for (let i = 0; i < POSTS; i++) {
        await api.call('POST', '/schedule', {
          post: { text: `crash post ${i}`, targets: [{ accountId: account.id, platform: 'webhook' }] },
          when: { mode: 'at', at: due.toISOString() }, zone: 'UTC',
        });
      }
    });
    receiver.hold(ANSWERED_BEFORE_KILL);
    await step(`kill -9 once ${CUT_BY_KILL} calls hang unanswered after ${ANSWERED_BEFORE_KILL} answered`, async () => {
      await receiver.untilReceived(ANSWERED_BEFORE_KILL + CUT_BY_KILL);
      await app.kill9();
    });
    const deliveredBeforeRestart = receiver.received;
    receiver.answerAll();
    app = await step('restart on the same data directory', () => startApp({ dataDir, port: ports.port, pgPort: ports.pgPort, logFile, env }));
    api.setBase(app.base);
    await api.login();
    let jobs = [];
    await step('every job reaches a terminal state', () =>
      waitFor(async () => {
        jobs = await api.jobs();
        return jobs.length === POSTS && jobs.every((j) => TERMINAL.has(j.state));
      }, 100_000, 'all jobs terminal'),
    );
    await sleep(2_000); // a duplicate would show up at the receiver now, not later
    const counts = [...receiver.byKey.values()];
    const byState = {};
    for (const j of jobs) byState[j.state] = (byState[j.state] ?? 0) + 1;
    const report = {
      posts: POSTS, deliveredBeforeKill: deliveredBeforeRestart, distinctDelivered: receiver.byKey.size,
      duplicated: counts.filter((c) => c > 1).length, jobs: byState, seconds: Math.round((Date.now() - t0) / 1000),
    };
    console.log(JSON.stringify(report));
    const fail = (m) => {
      throw new Error(`${m}: ${JSON.stringify(report)}`);
    };
    const deliveries = (j) => receiver.byKey.get(`sx-${j.id}`) ?? 0;
    if (report.duplicated > 0) fail('a post reached the receiver twice');
    if (jobs.some((j) => j.state !== 'published' && j.state !== 'unknown')) fail('a job ended neither published nor unknown');
    if (jobs.some((j) => j.state === 'published' && deliveries(j) !== 1)) fail('a published job was not delivered exactly once');
    // Unknown: the kill cut the call (delivered or not, nobody can tell); at most the calls in flight.
    if ((byState.unknown ?? 0) > PUBLISHER_CONCURRENCY) fail('more jobs unknown than calls can be in flight');
  } finally {
    await app?.stop().catch(() => undefined);
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err.message);
    process.exit(1);
  },
);
