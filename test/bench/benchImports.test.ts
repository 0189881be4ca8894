/**
 * `npm run bench` is not part of CI, so a benchmark that reaches vitest through a shared test helper would only
 * break there (vitest refuses to load outside its runner). This follows every benchmark's own imports instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const BENCH = path.join(ROOT, 'bench');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
}

/** Every package a file and the project files it imports (transitively) name, with the chain that led there. */
function packagesReachedFrom(entry: string): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith('.')) {
        const target = resolveLocal(file, specifier);
        if (target) visit(target, [...chain, path.relative(ROOT, target)]);
      } else if (!reached.has(specifier)) reached.set(specifier, chain);
    }
  };
  visit(entry, [path.relative(ROOT, entry)]);
  return reached;
}

describe('benchmarks run outside the test runner', () => {
  const benchmarks = readdirSync(BENCH).filter((file) => file.endsWith('.ts'));

  it('there are benchmarks to check', () => {
    expect(benchmarks).toContain('dmTurns.ts');
  });

  it.each(benchmarks)('bench/%s imports nothing that loads vitest', (file) => {
    const reached = packagesReachedFrom(path.join(BENCH, file));
    const viaVitest = [...reached].filter(([name]) => name === 'vitest' || name.startsWith('vitest/') || name.startsWith('@vitest/'));
    expect(viaVitest.map(([, chain]) => chain.join(' → '))).toEqual([]);
  });

  it('the check sees a vitest import through a helper (the test suites themselves import it)', () => {
    expect(packagesReachedFrom(path.join(ROOT, 'test', 'support', 'browser.ts')).has('vitest')).toBe(true);
  });
});
