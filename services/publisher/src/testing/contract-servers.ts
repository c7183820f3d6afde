import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { ContractFault, ContractPost } from '@sx/plugin-sdk';
import { waitFor, WORKSPACE_ROOT } from './publisher-harness';

export interface Served {
  url: string;
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
  child: ChildProcess;
}

/** Starts plugins/<id>/contract-server/serve.ts (written by the plugins' author for this test) in its own process. */
export async function serve(id: string): Promise<Served> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(WORKSPACE_ROOT, 'plugins', id, 'contract-server', 'serve.ts')], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', SWC_NODE_PROJECT: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const line = await waitFor(`${id} contract server`, () => (out.includes('\n') ? out.split('\n')[0] : undefined), 60_000);
  return { ...(JSON.parse(line) as Omit<Served, 'child'>), child };
}

/** The contract servers' control routes (see plugins/README.md). */
export const control = {
  failNext: (s: Served, fault: ContractFault) =>
    fetch(`${s.url}/__control/fail-next`, { method: 'POST', body: JSON.stringify(fault), headers: { 'content-type': 'application/json' } }),
  posts: async (s: Served) => ((await (await fetch(`${s.url}/__control/state`)).json()) as { posts: ContractPost[] }).posts,
};
