/** Local mode only: GET / serves Microsoft Web Chat (from node_modules, no CDN) wired to the local Direct Line. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'restify';
import { getAndHead } from './getAndHead';

const WEB_DIR = path.join(__dirname, '..', '..', 'web');

export function tryItRoutes(options: { brandName: string; directLineUrl: () => string }) {
  const template = readFileSync(path.join(WEB_DIR, 'try-it.html'), 'utf8');
  const script = readFileSync(path.join(WEB_DIR, 'try-it.js'));
  // The package exports no subpaths; its browser bundle sits in dist/ beside the lib/ entry point.
  const webchatBundle = path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
  return (server: Server): void => {
    getAndHead(server, '/', async (_req, res) => {
      const directLine = options.directLineUrl();
      const html = template.replaceAll('{{BRAND}}', escapeHtml(options.brandName)).replaceAll('{{DIRECTLINE}}', escapeHtml(directLine));
      res.sendRaw(200, html, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...tryItPageHeaders(directLine) });
    });
    getAndHead(server, '/try-it.js', async (_req, res) => {
      res.sendRaw(200, script, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
    });
    getAndHead(server, '/webchat/webchat.js', async (_req, res) => {
      res.sendRaw(200, readFileSync(webchatBundle), { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' });
    });
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Scripts only from this server (no inline script); Web Chat injects its styles at run time, so styles may be
 * inline; it talks to the local Direct Line on its own port. The other headers come from securityHeaders.
 */
function tryItPageHeaders(directLineUrl: string): Record<string, string> {
  const policy = `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ${originOf(directLineUrl)}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'`;
  return { 'content-security-policy': policy };
}

/** "http://127.0.0.1:3979" from the Direct Line URL; 'self' when it is not an http(s) URL. */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : "'self'";
  } catch {
    return "'self'";
  }
}
