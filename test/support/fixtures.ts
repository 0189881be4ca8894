/**
 * Platform payload samples (X, Meta Graph, the Facebook channel), kept in the repository so a clone tests on
 * its own; copied from the team's shared/fixtures (see test/fixtures/README.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, name), 'utf8')) as T;
}
