/* Runs inside the plugin child process: loads one plugin and answers the host's calls over IPC. */
import {
  checkPluginShape,
  createHttpClient,
  fileMedia,
  parseManifest,
  readRateLimit,
  toWireError,
  type PluginClock,
  type PluginDefinition,
  type PluginLogger,
  type RateLimitObservation,
} from '@sx/plugin-sdk';
import type { CallMessage, ChildToHost, HostToChild, InitMessage } from './ipc-protocol';

let plugin: PluginDefinition | undefined;
let init: InitMessage | undefined;

function send(msg: ChildToHost): void {
  process.send?.(msg);
}

const logger: PluginLogger = {
  debug: (msg, fields) => send({ t: 'log', level: 'debug', msg, fields }),
  info: (msg, fields) => send({ t: 'log', level: 'info', msg, fields }),
  warn: (msg, fields) => send({ t: 'log', level: 'warn', msg, fields }),
  error: (msg, fields) => send({ t: 'log', level: 'error', msg, fields }),
};

function load(msg: InitMessage): string[] {
  init = msg;
  const parsed = parseManifest(msg.manifest);
  if (!parsed.ok) return parsed.problems;
  let mod: unknown;
  try {
    mod = require(msg.entry);
  } catch (e) {
    return [`entry failed to load: ${e instanceof Error ? e.message : String(e)}`];
  }
  const candidate = (mod as { default?: unknown })?.default ?? mod;
  const problems = checkPluginShape(candidate, parsed.manifest);
  if (!problems.length) plugin = candidate as PluginDefinition;
  return problems;
}

async function call(msg: CallMessage): Promise<void> {
  let rateLimit: RateLimitObservation | undefined;
  const offset = msg.nowMs - Date.now();
  const clock: PluginClock = { nowMs: () => Date.now() + offset, now: () => new Date(Date.now() + offset) };
  try {
    if (!plugin || !init) throw new Error('plugin is not loaded');
    const http = createHttpClient({
      allow: init.egressAllow,
      timeoutMs: init.httpTimeoutMs,
      userAgent: 'SchedulerX',
      onResponse: (res) => {
        rateLimit = readRateLimit(res, clock.nowMs()) ?? rateLimit;
      },
    });
    const base = { settings: msg.ctx.settings, http, logger, clock };
    const ctx = {
      ...base,
      accountId: msg.ctx.accountId ?? '',
      credentials: msg.ctx.credentials ?? {},
      idempotencyKey: msg.ctx.idempotencyKey ?? '',
      attempt: msg.ctx.attempt ?? 1,
      media: fileMedia(msg.ctx.media ?? []),
    };
    const fn = plugin[msg.method] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function') throw new Error(`plugin does not implement ${msg.method}`);
    const needsBase = msg.method === 'connect' || msg.method === 'beginOAuth2';
    const value = await (msg.method === 'validate' ? fn.apply(plugin, msg.args) : fn.call(plugin, needsBase ? base : ctx, ...msg.args));
    send({ t: 'result', id: msg.id, ok: true, value, rateLimit });
  } catch (e) {
    send({ t: 'result', id: msg.id, ok: false, error: toWireError(e), rateLimit });
  }
}

process.on('message', (raw: HostToChild) => {
  if (raw.t === 'init') send({ t: 'ready', problems: load(raw) });
  else if (raw.t === 'call') void call(raw);
});
// The host owns this process: lose the host, stop.
process.on('disconnect', () => process.exit(0));
