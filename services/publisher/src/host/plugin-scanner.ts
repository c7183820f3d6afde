import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isContractCompatible, parseManifest, CONTRACT_VERSION, type PluginManifest } from '@sx/plugin-sdk';

/** One folder of the plugins directory and what its package.json says. */
export interface PluginCandidate {
  folder: string;
  /** The manifest id, or the folder name when there is no readable manifest. */
  id: string;
  manifest?: PluginManifest;
  rawManifest?: unknown;
  entry?: string;
  /** Why the plugin cannot load; empty when it may be started. */
  problems: string[];
}

interface PackageJson {
  name?: unknown;
  main?: unknown;
  schedulerx?: unknown;
}

/**
 * Reads every sub-folder of `dir`. A folder is a plugin when it holds a package.json; each problem
 * (bad JSON, wrong name, invalid manifest, incompatible contract, missing entry, duplicate id) is
 * reported against that plugin only. Never throws for a bad plugin.
 */
export async function scanPluginsDir(dir: string): Promise<PluginCandidate[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules');
  const candidates: PluginCandidate[] = [];
  for (const f of folders.sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = path.join(dir, f.name);
    const c = await readCandidate(folder, f.name);
    if (c) candidates.push(c);
  }
  const seen = new Set<string>();
  for (const c of candidates) {
    if (!c.problems.length && seen.has(c.id)) c.problems.push(`duplicate plugin id "${c.id}" (an earlier folder has it)`);
    if (!c.problems.length) seen.add(c.id);
  }
  return candidates;
}

async function readCandidate(folder: string, name: string): Promise<PluginCandidate | undefined> {
  const pkgPath = path.join(folder, 'package.json');
  let text: string;
  try {
    text = await fs.readFile(pkgPath, 'utf8');
  } catch {
    return undefined; // not a plugin folder (e.g. shared helpers)
  }
  const fail = (problem: string, id = name): PluginCandidate => ({ folder, id, problems: [problem] });
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch (e) {
    return fail(`package.json is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (pkg.schedulerx === undefined) return fail('package.json has no "schedulerx" manifest block');
  const parsed = parseManifest(pkg.schedulerx);
  if (!parsed.ok) return { folder, id: name, rawManifest: pkg.schedulerx, problems: parsed.problems.map((p) => `manifest ${p}`) };
  const manifest = parsed.manifest;
  const base = { folder, id: manifest.id, manifest, rawManifest: pkg.schedulerx };
  const problems: string[] = [];
  if (pkg.name !== `@sx-plugin/${manifest.id}`) problems.push(`package name must be "@sx-plugin/${manifest.id}"`);
  if (!isContractCompatible(manifest.contractVersion)) {
    problems.push(`contract ${manifest.contractVersion} is not compatible with the host's ${CONTRACT_VERSION}`);
  }
  const main = typeof pkg.main === 'string' ? pkg.main : 'index.js';
  const entry = path.resolve(folder, main);
  if (!entry.startsWith(folder + path.sep)) problems.push(`"main" must point inside the plugin folder`);
  else if (!(await exists(entry))) problems.push(`entry ${main} does not exist`);
  return { ...base, entry, problems };
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}
