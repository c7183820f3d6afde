// Runs the YouTube contract server as its own process (embedded runs, other projects' tests):
//   node -r @swc-node/register plugins/youtube/contract-server/serve.ts [port]
// Prints one JSON line: the base URL, the settings of a test OAuth client, and credentials of a connected channel.
// Control: GET /__control/state (posts, stats, quota), POST /__control/fail-next (a ContractFault).
import { YouTubeContractServer } from './youtube-contract-server';

async function main(): Promise<void> {
  const server = new YouTubeContractServer();
  const url = await server.start(Number(process.argv[2] ?? 0));
  const t = server.oauth.issue();
  const settings = { clientId: server.oauth.clientId, clientSecret: 'GOCSPX-contract-secret', apiBaseUrl: url, authorizeUrl: `${url}/o/oauth2/v2/auth`, tokenUrl: `${url}/token` };
  const credentials = { accessToken: t.access_token, refreshToken: t.refresh_token, channelId: server.channel.id, channelTitle: server.channel.title, uploadsPlaylistId: server.uploadsPlaylistId };
  process.stdout.write(`${JSON.stringify({ url, settings, credentials })}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

void main();
