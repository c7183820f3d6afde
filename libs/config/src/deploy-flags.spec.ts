import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// tools/service-node-flags.cjs is the one list of per-service V8 flags; deploy/ repeats it by hand.
const root = join(__dirname, '..', '..', '..');
const flags = require(join(root, 'tools', 'service-node-flags.cjs')) as Record<string, string[]>;

/** Every `command: ["node", …flags, "dist/…/<name>/main.js"]` in a deploy file, as name → flags. */
function nodeCommands(file: string): Map<string, string[]> {
  const text = readFileSync(join(root, 'deploy', file), 'utf8');
  const found = new Map<string, string[]>();
  for (const [, args] of text.matchAll(/command:\s*\[\s*"node",([^\]]*)\]/g)) {
    const parts = [...args.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const entry = parts.at(-1) ?? '';
    const name = /dist\/(?:services\/)?([^/]+)\/main\.js$/.exec(entry)?.[1];
    if (!name) throw new Error(`${file}: node command without a service entry point: ${args}`);
    found.set(name, parts.slice(0, -1));
  }
  return found;
}

describe.each(['compose/docker-compose.yml', 'k8s/schedulerx.yaml'])('deploy/%s', (file) => {
  const commands = nodeCommands(file);

  it('starts every service that has V8 flags', () => {
    for (const service of Object.keys(flags)) expect(commands.has(service)).toBe(true);
  });

  it("passes each service exactly its flags from tools/service-node-flags.cjs, and no others", () => {
    expect(commands.size).toBeGreaterThanOrEqual(6);
    for (const [service, args] of commands) expect({ service, args }).toEqual({ service, args: flags[service] ?? [] });
  });
});
