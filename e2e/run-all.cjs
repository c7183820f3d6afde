#!/usr/bin/env node
// Runs every browser suite (`e2e/*.e2e.cjs`) one after another, each in its own process with its own
// embedded app, and fails when any of them fails. Suites stay independent so one can be run alone.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const suites = fs.readdirSync(__dirname).filter((f) => f.endsWith('.e2e.cjs')).sort();
const failed = [];
for (const suite of suites) {
  console.log(`\n=== e2e: ${suite}`);
  const r = spawnSync(process.execPath, [path.join(__dirname, suite)], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(suite);
}
console.log(`\ne2e suites: ${suites.length - failed.length} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}`);
process.exit(failed.length ? 1 : 0);
