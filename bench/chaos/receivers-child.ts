// The receivers of a chaos run, in their own process so a fault in the product never touches them:
// webhook receivers (one path per account; the busy one answers 429 beyond BUSY_PER_S deliveries a second)
// and Bluesky contract servers. Each arrival is stamped with Date.now() here.
//   node -r @swc-node/register bench/chaos/receivers-child.ts <webhooks> <bluesky> <busyPerSecond>
// Prints one JSON line (ReceiversInfo), then serves until SIGTERM.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
// The plugin's contract server is a test fixture with no package entry; the harness runs it as its README says.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { BlueskyContractServer } from '../../plugins/bluesky/contract-server/bluesky-contract-server';
import { MARKER, type Arrival, type ReceiversInfo } from './receiver-protocol';

const [webhookCount, blueskyCount, busyPerS] = process.argv.slice(2).map(Number);
const arrivals: Arrival[] = [];
const busyStamps: number[] = [];

function markerOf(text: string): number | undefined {
  const m = MARKER.exec(text);
  return m ? Number(m[1]) : undefined;
}

function busyRefuses(now: number): boolean {
  while (busyStamps.length && busyStamps[0] <= now - 1_000) busyStamps.shift();
  if (busyStamps.length >= busyPerS) return true;
  busyStamps.push(now);
  return false;
}

function onHook(req: IncomingMessage, res: ServerResponse, body: string): void {
  const at = Date.now();
  const index = Number(/^\/hook\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
  let text = '';
  try {
    text = String((JSON.parse(body) as { post?: { text?: string } }).post?.text ?? '');
  } catch {
    /* counted below as a delivery without a marker */
  }
  const n = markerOf(text);
  const refuse = index === 0 && busyRefuses(at);
  const status = refuse ? 429 : 200;
  if (n !== undefined) arrivals.push({ n, account: `hook-${index}`, at, status, key: String(req.headers['idempotency-key'] ?? '') });
  if (refuse) {
    res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
    res.end('{"error":"busy"}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: `hook-${index}-${n ?? 'x'}-${arrivals.length}`, url: `http://127.0.0.1/hook/${index}/${n ?? 'x'}` }));
}

async function main(): Promise<void> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/__arrivals') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(arrivals));
        return;
      }
      onHook(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const bluesky: ReceiversInfo['bluesky'] = [];
  const servers: BlueskyContractServer[] = [];
  for (let i = 0; i < blueskyCount; i++) {
    const pds = new BlueskyContractServer({ accounts: [{ did: `did:plc:sxchaos${String(i).padStart(18, '0')}`, handle: `chaos${i}.test`, password: 'abcd-efgh-ijkl-mnop' }] });
    const url = await pds.start(0);
    servers.push(pds);
    bluesky.push({ name: `bsky-${i}`, url, identifier: `chaos${i}.test`, password: 'abcd-efgh-ijkl-mnop' });
  }
  // A record created on a PDS is an arrival; poll the new tail of each server's records.
  const seen = servers.map(() => 0);
  setInterval(() => {
    const now = Date.now();
    servers.forEach((pds, i) => {
      const records = pds.postRecords();
      for (; seen[i] < records.length; seen[i]++) {
        const n = markerOf(String(records[seen[i]].value.text ?? ''));
        if (n !== undefined) arrivals.push({ n, account: `bsky-${i}`, at: now, status: 200, key: records[seen[i]].rkey });
      }
    });
  }, 50);

  const info: ReceiversInfo = {
    webhooks: Array.from({ length: webhookCount }, (_, i) => ({ name: `hook-${i}`, url: `${base}/hook/${i}`, busy: i === 0 })),
    bluesky,
    controlUrl: `${base}/__arrivals`,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.once('SIGTERM', () => {
    server.close();
    void Promise.all(servers.map((s) => s.stop())).then(() => process.exit(0));
  });
}

void main();
