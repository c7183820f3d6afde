import { runConformance } from '@sx/plugin-sdk';
import pkg from '../package.json';
import { MastodonContractServer } from '../contract-server/mastodon-contract-server';
import plugin from './index';
import { connectAccount } from './testing/mastodon-account';

runConformance({
  plugin,
  manifest: pkg.schedulerx,
  startServer: async () => {
    const server = new MastodonContractServer();
    await server.start();
    return server;
  },
  account: (server) => connectAccount(server as MastodonContractServer),
  // Mastodon tokens never expire: a 401 means a revoked app, classed as disconnected (tested in mastodon.plugin.spec.ts).
  faults: ['rate_limited', 'server_error', 'rejected', 'commit_then_hang', 'commit_then_drop'],
});
