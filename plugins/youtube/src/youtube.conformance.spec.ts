import { runConformance } from '@sx/plugin-sdk';
import pkg from '../package.json';
import { YouTubeContractServer } from '../contract-server/youtube-contract-server';
import plugin from './index';
import { clip, connectChannel } from './testing/youtube-account';

runConformance({
  plugin,
  manifest: pkg.schedulerx,
  startServer: async () => {
    const server = new YouTubeContractServer();
    server.knobs.processingPolls = 0;
    await server.start();
    return server;
  },
  account: (server) => connectChannel(server as YouTubeContractServer),
  validPost: { text: 'Clutch round, full clip', title: 'Clutch round', hashtags: ['gaming'], settings: {} },
  validMedia: [clip(300_000)],
});
