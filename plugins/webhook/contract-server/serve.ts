// Runs the signed-webhook receiver as its own process for other projects' tests (the publisher's e2e):
//   node -r @swc-node/register plugins/webhook/contract-server/serve.ts [port]
// Prints one JSON line: the base URL, settings and credentials (receiver URL + a fresh signing secret).
// Control: GET /__control/state (deliveries + stats), POST /__control/fail-next (a ContractFault).
import { randomBytes } from 'node:crypto';
import { WebhookReceiver } from './webhook-receiver';

async function main(): Promise<void> {
  const secret = randomBytes(24).toString('hex');
  const receiver = new WebhookReceiver({ secret });
  const url = await receiver.start(Number(process.argv[2] ?? 0));
  process.stdout.write(`${JSON.stringify({ url, settings: {}, credentials: { url: receiver.hookUrl, secret } })}\n`);
  process.once('SIGTERM', () => void receiver.close().then(() => process.exit(0)));
}

void main();
