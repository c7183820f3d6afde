// Runs a plugin's contract server from source: `node e2e/contract-server-boot.cjs plugins/<id>/contract-server/serve.ts 0`.
// Maps the workspace's `@sx/*` libs to their sources, as the publisher's plugin child does for the SDK.
const Module = require('node:module');
const path = require('node:path');

require('@swc-node/register');
const root = path.resolve(__dirname, '..');
const LIBS = { '@sx/plugin-sdk': 'libs/plugin-sdk/src/index.ts', '@sx/contracts': 'libs/contracts/src/index.ts' };
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWorkspaceLib(request, ...rest) {
  if (LIBS[request]) return path.join(root, LIBS[request]);
  return resolve.call(this, request, ...rest);
};
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
require(path.resolve(root, script));
