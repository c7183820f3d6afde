import { runConformance } from '@sx/plugin-sdk';
import pkg from '../package.json';
import { BlueskyContractServer } from '../contract-server/bluesky-contract-server';
import plugin from './index';
import { connectAccount } from './testing/bsky-account';

runConformance({
  plugin,
  manifest: pkg.schedulerx,
  startServer: async () => {
    const server = new BlueskyContractServer();
    await server.start();
    return server;
  },
  account: (server) => {
    const s = server as BlueskyContractServer;
    return connectAccount(s.url, s.accounts[0].handle, s.accounts[0].password);
  },
});
