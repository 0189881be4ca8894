/**
 * `npm run bench`: runs every benchmark one after the other (they share two cores; running them
 * together would measure each other). `npm run bench -- dmTurns` runs one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const BENCHMARKS = ['dmTurns', 'ingest', 'followUps', 'agentConsole'];

const wanted = process.argv.slice(2);
// A misspelt name would otherwise select nothing and report success.
const unknown = wanted.filter((name) => !BENCHMARKS.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Known: ${BENCHMARKS.join(', ')}.`);
  process.exit(2);
}
const selected = wanted.length > 0 ? BENCHMARKS.filter((name) => wanted.includes(name)) : BENCHMARKS;
let failed = false;
for (const name of selected) {
  const file = path.join(__dirname, `${name}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n=== ${name} ===`);
  // The same V8 young-generation size as `npm start`: the embedded store allocates a lot per request.
  const result = spawnSync(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', '--expose-gc', file], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
