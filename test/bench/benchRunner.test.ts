/** The bench runner's own argument handling, run as the operator runs it (no benchmark is started). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');

describe('npm run bench with a name', () => {
  it('when the name is misspelt, then it lists the known benchmarks and exits 2 without running any', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'dmTurn'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown benchmark: dmTurn');
    expect(result.stderr).toContain('dmTurns, ingest, followUps, agentConsole');
    expect(result.stdout).not.toContain('===');
  });

  it('when several names are unknown, then each is named', () => {
    // Only unknown names: even without the check, no real benchmark would start here.
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'nosuch', 'ingst'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown benchmarks: nosuch, ingst.');
  });
});
