import { runConformance, createTestBaseContext } from '@sx/plugin-sdk';
import plugin from './index';
import pkg from '../package.json';
import { startContractServer } from '../contract-server/server';

runConformance({
  plugin,
  manifest: pkg.schedulerx,
  startServer: () => startContractServer(),
  async account(server) {
    const settings = { serviceUrl: server.url };
    const connected = await plugin.connect(createTestBaseContext(settings), {
      kind: 'app_password',
      identifier: 'alice.test',
      password: 'app-password',
    });
    return { credentials: connected.credentials, settings };
  },
});

describe('__NAME__ plugin specifics', () => {
  it('refuses a wrong app password as disconnected, without echoing it', async () => {
    const server = await startContractServer();
    try {
      const err = await plugin
        .connect(createTestBaseContext({ serviceUrl: server.url }), { kind: 'app_password', identifier: 'alice.test', password: 'wrong-secret' })
        .then(() => undefined, (e: Error) => e);
      expect(err?.name).toBe('DisconnectedError');
      expect(err?.message).not.toContain('wrong-secret');
    } finally {
      await server.close();
    }
  });
});
