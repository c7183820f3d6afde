// Entry of every plugin child process (see plugin-process.ts). Registers @swc-node/register so
// TypeScript plugins run from source, and maps `@sx/plugin-sdk` to the SDK the host ships
// (argv[2]) and `@sx/contracts` (which the SDK re-exports text counting from) to its sibling lib;
// plain-JS plugins need neither but are unaffected.
const Module = require('module');
const path = require('path');

const sdkEntry = process.argv[2];
if (sdkEntry && /\.ts$/.test(sdkEntry)) require('@swc-node/register');
const contractsEntry = sdkEntry && path.join(path.dirname(sdkEntry), '..', '..', 'contracts', 'src', /\.ts$/.test(sdkEntry) ? 'index.ts' : 'index.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveSdk(request, ...rest) {
  if (request === '@sx/plugin-sdk' && sdkEntry) return sdkEntry;
  if (request === '@sx/contracts' && contractsEntry) return contractsEntry;
  return resolve.call(this, request, ...rest);
};
const runner = path.join(__dirname, /\.ts$/.test(sdkEntry || '') ? 'plugin-child.ts' : 'plugin-child.js');
require(runner);
