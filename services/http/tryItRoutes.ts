/** Local mode only: GET / serves Microsoft Web Chat (from node_modules, no CDN) wired to the local Direct Line. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'restify';

const WEB_DIR = path.join(__dirname, '..', '..', 'web');

export function tryItRoutes(options: { brandName: string; directLineUrl: () => string }) {
  const template = readFileSync(path.join(WEB_DIR, 'try-it.html'), 'utf8');
  // The package exports no subpaths; its browser bundle sits in dist/ beside the lib/ entry point.
  const webchatBundle = path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
  return (server: Server): void => {
    server.get('/', async (_req, res) => {
      const html = template.replaceAll('{{BRAND}}', escapeHtml(options.brandName)).replaceAll('{{DIRECTLINE}}', options.directLineUrl());
      res.sendRaw(200, html, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    });
    server.get('/webchat/webchat.js', async (_req, res) => {
      res.sendRaw(200, readFileSync(webchatBundle), { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' });
    });
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
