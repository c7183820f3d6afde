// Runs the Mastodon contract server as its own process for other projects' tests (the publisher's e2e):
//   node -r @swc-node/register plugins/mastodon/contract-server/serve.ts [port]
// Prints one JSON line: the base URL, settings and credentials of a connected test account.
// Control: GET /__control/state (posts + stats), POST /__control/fail-next (a ContractFault).
import { MastodonContractServer } from './mastodon-contract-server';

async function main(): Promise<void> {
  const server = new MastodonContractServer();
  const url = await server.start(Number(process.argv[2] ?? 0));
  const credentials = { accessToken: server.oauth.issueToken(), accountId: server.account.id, username: server.account.acct };
  process.stdout.write(`${JSON.stringify({ url, settings: { instanceUrl: url }, credentials })}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

void main();
