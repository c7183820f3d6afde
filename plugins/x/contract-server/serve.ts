// Runs the X contract server as its own process for other projects' tests (the publisher's e2e):
//   node -r @swc-node/register plugins/x/contract-server/serve.ts [port]
// Prints one JSON line: the base URL, settings and credentials of a connected test account.
// Control: GET /__control/state (posts + stats), POST /__control/fail-next (a ContractFault).
import { XContractServer } from './x-contract-server';

async function main(): Promise<void> {
  const server = new XContractServer();
  const url = await server.start(Number(process.argv[2] ?? 0));
  const tokens = server.auth.issue(server.clientId);
  const credentials = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, userId: server.user.id, username: server.user.username };
  process.stdout.write(`${JSON.stringify({ url, settings: { clientId: server.clientId, apiBaseUrl: url, authorizeUrl: `${url}/i/oauth2/authorize` }, credentials })}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

void main();
