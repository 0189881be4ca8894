/** Platform payload samples from shared/fixtures, which CI places beside the repository. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, name), 'utf8')) as T;
}
