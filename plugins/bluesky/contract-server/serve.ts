// Runs the Bluesky contract server as its own process for other projects' tests (the publisher's e2e):
//   node -r @swc-node/register plugins/bluesky/contract-server/serve.ts [port]
// Prints one JSON line: the base URL, settings and credentials of a connected test account.
// Control: GET /__control/state (posts + stats), POST /__control/fail-next (a ContractFault).
import { BlueskyContractServer } from './bluesky-contract-server';

async function main(): Promise<void> {
  const server = new BlueskyContractServer();
  const url = await server.start(Number(process.argv[2] ?? 0));
  const account = server.accounts[0];
  const session = server.sessions.mint(account.did);
  const credentials = { identifier: account.handle, appPassword: account.password, did: account.did, handle: account.handle, accessJwt: session.accessJwt, refreshJwt: session.refreshJwt };
  process.stdout.write(`${JSON.stringify({ url, settings: { service: url }, credentials })}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

void main();
