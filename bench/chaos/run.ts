// `npm run chaos [-- --profile short|long --seed N --modes embedded,distributed ...]`: runs the real product
// under faults and checks that every post went out exactly once (README.md in this folder).
import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type Mode } from './args';
import { formatReport } from './report';
import { runMode, type ModeRun } from './run-mode';

const root = path.resolve(__dirname, '..', '..');

function plotData(run: ModeRun, commit: string) {
  const r = run.result;
  return {
    title: `chaos ${run.mode} @ ${commit}: ${r.counts.delivered_once}/${r.outcomes.length} once, ${r.counts.lost} lost, ${r.counts.duplicated} dup, ${r.counts.stuck} stuck`,
    points: r.outcomes.map((o) => ({
      due: (o.dueMs - run.t0) / 1000,
      lateness: o.latenessMs === undefined ? -5 : o.latenessMs / 1000,
      verdict: o.verdict,
      account: o.busy ? 'busy webhook' : o.account.startsWith('bsky') ? 'bluesky' : 'webhook',
    })),
    faults: run.faults.map((f) => ({ at: (f.at - run.t0) / 1000, fault: f.kind === 'kill' ? `kill ${f.target}` : f.kind === 'zombie' ? `zombie ${f.target}` : 'clock step', label: `${f.kind} ${f.target}` })),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  const outDir = path.resolve(root, args.outDir, `${args.profile}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(outDir, { recursive: true });
  const log = (l: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${l}`);
  if (args.build) {
    log('building embedded, gateway, scheduler, publisher');
    execSync('npx nx run-many -t build -p embedded gateway scheduler publisher --outputStyle=static', {
      cwd: root, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
  }
  log(`profile ${args.profile}, seed ${args.seed}, commit ${commit}, output ${outDir}`);
  const finish = (run: ModeRun) => {
    console.log(formatReport(`${run.mode} (${args.profile}, seed ${args.seed}, ${commit})`, run.result, run.t0));
    const data = path.join(run.runDir, 'plot-data.json');
    writeFileSync(data, JSON.stringify(plotData(run, commit)));
    const png = path.join(outDir, `lateness-${run.mode}.png`);
    const plotted = spawnSync(process.execPath, [path.join(__dirname, 'plot.mjs'), data, png], { cwd: root, encoding: 'utf8' });
    log(plotted.status === 0 ? `plot: ${png}` : `plot failed: ${plotted.stderr}`);
    return run;
  };
  const runs: ModeRun[] = [];
  const broken: string[] = [];
  // A mode whose harness step broke (e.g. the product never became usable) fails the run but not the other mode.
  const attempt = (mode: Mode) =>
    runMode(root, args, mode, outDir, log).then(finish, (err: unknown) => {
      broken.push(`${mode}: ${err instanceof Error ? err.message : String(err)}`);
      log(`${mode}: run broke: ${err instanceof Error ? err.stack : String(err)}`);
      return undefined;
    });
  const done = args.parallel ? await Promise.all(args.modes.map(attempt)) : [];
  if (!args.parallel) for (const mode of args.modes) done.push(await attempt(mode));
  for (const r of done) if (r) runs.push(r);
  const summary = runs.map((r) => ({ mode: r.mode, commit, seed: args.seed, profile: args.profile, seedMs: r.seedMs, skippedPosts: r.skipped, passed: r.result.passed, counts: r.result.counts, lateness: r.result.lateness,
    faults: r.result.faults.map(({ kind, target, at, undoneAt, recoveryMs, lateness, error }) => ({ kind, target, atS: (at - r.t0) / 1000, undoneAfterMs: undoneAt ? undoneAt - at : null, recoveryMs, lateness, error })),
    examples: r.result.examples }));
  writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify({ runs: summary, broken }, null, 2));
  log(`summary: ${path.join(outDir, 'summary.json')}`);
  for (const b of broken) console.log(`== ${b.split(':')[0]}: BROKEN (no figures) ==\n${b}`);
  if (broken.length) process.exit(2);
  process.exit(runs.every((r) => r.result.passed) ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(2);
});
