/**
 * GET routes that answer HEAD too: uptime monitors and load balancers often probe with HEAD, and restify answers
 * 405 to a method no route has. The same handler runs; Node sends no body for HEAD, but the status and headers
 * (content-length included) are GET's.
 */
import type { RequestHandlerType, Server } from 'restify';

export function getAndHead(server: Server, path: string, ...handlers: RequestHandlerType[]): void {
  server.get(path, ...handlers);
  server.head(path, ...handlers);
}
