#!/usr/bin/env node
// `npm start`: install what is missing, build, and run the whole platform in embedded mode
// (one process: gateway + every service, in-process bus, embedded PostgreSQL, media on disk).
const { execSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NG_CLI_ANALYTICS: 'false' };

function run(cmd) {
  console.log(`$ ${cmd}`);
  execSync(cmd, { cwd: root, env, stdio: 'inherit' });
}

function installNeeded() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  return fs.statSync(path.join(root, 'package-lock.json')).mtimeMs > fs.statSync(marker).mtimeMs;
}

if (installNeeded()) run('npm ci --no-audit --no-fund');
run('npx nx run-many -t build -p embedded dashboard --outputStyle=static');

const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'dist/services/embedded/main.js')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 1)));
