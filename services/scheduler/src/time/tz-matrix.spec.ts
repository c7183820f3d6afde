import { execFile } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const ZONES = ['UTC', 'Etc/UTC', 'Asia/Kolkata', 'America/New_York'];

function runUnderTz(tz: string): Promise<{ tz: string; processOffset: number; problems: string[] }> {
  const script =
    "const r = require('./services/scheduler/src/time/dst-cases.ts').runDstCases();" +
    'process.stdout.write(JSON.stringify({ offset: new Date(2026, 0, 15).getTimezoneOffset(), problems: r }));';
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', '-e', script],
      { cwd: ROOT, env: { ...process.env, TZ: tz, SWC_NODE_PROJECT: 'tsconfig.base.json' }, timeout: 50_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`TZ=${tz}: ${err.message}\n${stderr}`));
        const parsed = JSON.parse(stdout) as { offset: number; problems: string[] };
        resolve({ tz, processOffset: parsed.offset, problems: parsed.problems });
      },
    );
  });
}

describe('time rules do not depend on the process TZ', () => {
  it('gives the hand-checked DST instants under TZ=UTC, Etc/UTC, Asia/Kolkata and America/New_York', async () => {
    const results = await Promise.all(ZONES.map(runUnderTz));
    // The children really ran in different zones (Kolkata is -330 minutes, New York +300 in January).
    expect(results.map((r) => r.processOffset)).toEqual([0, 0, -330, 300]);
    for (const r of results) expect({ tz: r.tz, problems: r.problems }).toEqual({ tz: r.tz, problems: [] });
  });
});
