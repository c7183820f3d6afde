#!/usr/bin/env node
// `npm test`: lint every project, run every jest suite (unit + integration against the real local
// Postgres/NATS), then the browser e2e against the built embedded app. Prints one closing summary line.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NG_CLI_ANALYTICS: 'false' };
const resultsDir = path.join(root, 'tmp', 'jest-results');

function run(cmd) {
  console.log(`\n$ ${cmd}`);
  execSync(cmd, { cwd: root, env, stdio: 'inherit' });
}

function tally() {
  let passed = 0;
  let failed = 0;
  if (!fs.existsSync(resultsDir)) return { passed, failed };
  for (const f of fs.readdirSync(resultsDir)) {
    const r = JSON.parse(fs.readFileSync(path.join(resultsDir, f), 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
  return { passed, failed };
}

fs.rmSync(resultsDir, { recursive: true, force: true });
let ok = true;
try {
  run('npx nx run-many -t lint --outputStyle=static');
  // swc (jest) and webpack builds do not type-check every file: one tsc pass over all Node code does.
  run('npx tsc -p tsconfig.typecheck.json');
  run('npx nx run-many -t test --outputStyle=static --ci --skip-nx-cache');
  if (fs.existsSync(path.join(root, 'e2e', 'project.json'))) {
    // The e2e target builds the embedded app and the dashboard first (dependsOn), then drives Chromium.
    run('npx nx run e2e:e2e --outputStyle=static');
  }
} catch {
  ok = false;
}
const { passed, failed } = tally();
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
