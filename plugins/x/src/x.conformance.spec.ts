import { runConformance } from '@sx/plugin-sdk';
import pkg from '../package.json';
import { XContractServer } from '../contract-server/x-contract-server';
import plugin from './index';
import { connectAccount } from './testing/x-account';

runConformance({
  plugin,
  manifest: pkg.schedulerx,
  startServer: async () => {
    const server = new XContractServer();
    await server.start();
    return server;
  },
  account: (server) => connectAccount(server as XContractServer),
});
