'use strict';
// Publishes nowhere: measures the publisher's own overhead (journal, plugin IPC, outcome, events).
module.exports = {
  validate: () => ({ ok: true, violations: [] }),
  connect: async () => ({ credentials: {}, profile: { externalId: 'noop', handle: 'noop' } }),
  publish: async (ctx) => ({ platformPostId: ctx.idempotencyKey, url: `https://noop.invalid/${ctx.idempotencyKey}` }),
};
