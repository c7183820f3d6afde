#!/usr/bin/env node
// Scaffolds a drop-in plugin: package.json with the manifest, src/index.ts (definePlugin),
// contract-server/server.ts (a real HTTP fake of the platform with test knobs) and a spec that
// runs the SDK's conformance kit. Then registers it as an Nx project (lint + test).
// usage: node tools/new-plugin.cjs <id> ["Display Name"] [--dir plugins] [--no-project]
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const noProject = args.includes('--no-project');
if (noProject) args.splice(args.indexOf('--no-project'), 1);
const dirArg = flag('--dir') ?? 'plugins';
const [id, displayName] = args;
if (!id || !/^[a-z][a-z0-9-]{1,31}$/.test(id)) {
  console.error('usage: new-plugin.cjs <id: lowercase, digits, dashes> ["Display Name"] [--dir plugins] [--no-project]');
  process.exit(2);
}
const name = displayName ?? id.charAt(0).toUpperCase() + id.slice(1);
const root = path.resolve(__dirname, '..');
const templateDir = path.join(__dirname, 'plugin-template');
const target = path.resolve(root, dirArg, id);
if (fs.existsSync(target) && fs.readdirSync(target).some((f) => ['package.json', 'src'].includes(f))) {
  console.error(`${path.relative(root, target)} already holds a plugin; refusing to overwrite`);
  process.exit(1);
}

const substitute = (text) => text.replace(/__ID__/g, id).replace(/__NAME__/g, name);
const copy = (rel) => {
  const out = path.join(target, rel);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, substitute(fs.readFileSync(path.join(templateDir, rel), 'utf8')));
};
for (const rel of ['package.json', 'src/index.ts', 'src/plugin.spec.ts', 'contract-server/server.ts']) copy(rel);

if (!noProject) {
  const relDir = path.relative(root, target);
  execFileSync(process.execPath, [path.join(__dirname, 'scaffold-node-project.cjs'), relDir, `plugin-${id}`, 'lib', 'scope:plugin,type:plugin'], {
    stdio: 'inherit',
  });
  // The scaffold adds contract-server to nothing by default: make tsconfig include it.
  for (const cfg of ['tsconfig.json', 'tsconfig.spec.json']) {
    const file = path.join(target, cfg);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.include = Array.from(new Set([...(json.include ?? []), 'src/**/*.ts', 'contract-server/**/*.ts', 'package.json']));
    fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  }
}
console.log(`created ${path.relative(root, target)}: edit package.json (manifest), src/index.ts and contract-server/server.ts`);
