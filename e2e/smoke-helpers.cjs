/** Small helpers for the browser smoke test (kept apart so the script reads as the scenario). */

async function step(name, fn) {
  const t0 = Date.now();
  process.stdout.write(`• ${name} … `);
  try {
    const out = await fn();
    console.log(`ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return out;
  } catch (err) {
    console.log('FAILED');
    throw new Error(`${name}: ${err.message}`);
  }
}

/** Poll `check` until it returns truthy; polling an external process, not racing a timer. */
async function waitFor(check, timeoutMs, what) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function freePort(net) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** SSE keeps the network busy, so "settled" means: no loading bar left on the page. */
async function pageSettled(page) {
  await page
    .waitForFunction(() => !document.querySelector('sx-load-state mat-progress-bar'), null, { timeout: 15_000 })
    .catch(() => undefined);
}

module.exports = { step, waitFor, freePort, pageSettled };
