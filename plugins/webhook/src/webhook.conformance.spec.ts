import { createTestBaseContext, runConformance } from '@sx/plugin-sdk';
import pkg from '../package.json';
import { WebhookReceiver } from '../contract-server/webhook-receiver';
import plugin from './index';

const SECRET = 'whsec_conformance_0123456789';

runConformance({
  plugin,
  manifest: pkg.schedulerx,
  startServer: async () => {
    const receiver = new WebhookReceiver({ secret: SECRET });
    await receiver.start();
    return receiver;
  },
  account: async (server) => {
    const r = server as WebhookReceiver;
    const connected = await plugin.connect(createTestBaseContext({}), { kind: 'webhook_url', url: r.hookUrl, secret: SECRET });
    return { credentials: connected.credentials, settings: {} };
  },
  // A receiver's 401 means our secret is refused (no refresh exists): classed as disconnected, tested in webhook.plugin.spec.ts.
  faults: ['rate_limited', 'server_error', 'rejected', 'commit_then_hang', 'commit_then_drop'],
});
