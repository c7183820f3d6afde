#!/usr/bin/env node
// `npm run bench:<name>`: runs bench/<name>/run.ts through swc with the workspace's path aliases.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const name = process.argv[2];
const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'bench', name ?? '', 'run.ts');
if (!name || !fs.existsSync(entry)) {
  const available = fs.existsSync(path.join(root, 'bench')) ? fs.readdirSync(path.join(root, 'bench')) : [];
  console.error(`usage: npm run bench:<name>   (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
const flags = require('./service-node-flags.cjs');
// The scheduler benchmark's own process runs the dispatcher, as the scheduler service would: its flags.
const ownFlags = name === 'scheduler' ? flags.scheduler : [];
const result = spawnSync(
  process.execPath,
  [...ownFlags, '--expose-gc', '-r', '@swc-node/register', entry, ...process.argv.slice(3)],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'),
      // Benchmarks run consumers as the publisher runs (its V8 flags).
      SX_BENCH_CONSUMER_NODE_FLAGS: flags.publisher.join(' '),
    },
  },
);
process.exit(result.status ?? 1);
