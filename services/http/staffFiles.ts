/** Staff pages and their assets held in memory: read once at start-up, answered to GET and HEAD with the staff pages' headers. */
import { readFileSync } from 'node:fs';
import type { Server } from 'restify';
import { getAndHead } from './getAndHead';
import { STAFF_PAGE_HEADERS } from './securityHeaders';

export type StaffFiles = Record<string, { file: string; type: string }>;

export function staffFiles(server: Server, files: StaffFiles): void {
  for (const [route, asset] of Object.entries(files)) {
    const body = readFileSync(asset.file);
    getAndHead(server, route, async (_req, res) => {
      res.sendRaw(200, body, { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'no-cache', ...STAFF_PAGE_HEADERS });
    });
  }
}
