/** Runs `npm run audit:verify`'s script on a document saved to a temp file, as an auditor would. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLI = path.join(__dirname, '..', '..', '..', 'services', 'listening', 'verifyExportCli.ts');
const TSX = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');

export function runVerifyCli(document: unknown): { status: number | null; out: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'export-')), 'export.json');
  writeFileSync(file, JSON.stringify(document));
  const result = spawnSync(TSX, [CLI, file], { encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}
