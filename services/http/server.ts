/**
 * The HTTP server. Each door is a small route module registered here by index.ts; this file owns
 * the shared concerns: body limits, clear errors for bad input, in-flight tracking for shutdown.
 */
import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from '../log';
import { answerWithoutInternals, securityHeaders } from './securityHeaders';

export type RouteModule = (server: Server) => void;

export interface HttpServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, waits for requests in flight (up to graceMs), then closes. */
  close(graceMs: number): Promise<void>;
  /** True once close() began: readiness answers 503 so the load balancer stops sending work here. */
  readonly draining: boolean;
}

/**
 * Idle keep-alive connections outlive the load balancer's idle timeout (Azure Load Balancer and App Service: 4 minutes),
 * so the proxy never reuses a connection the bot has just closed (a 502 for that request). Node's default is 5 s.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 245_000;

export function createHttpServer(logger: Logger): HttpServer {
  const server = restify.createServer({ name: 'social-care-bot', handleUncaughtExceptions: false });
  server.server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Above the keep-alive (nodejs/node#27363: a reused connection's headers must not be judged late) and within
  // requestTimeout (300 s), which Node would otherwise quietly swap with it.
  server.server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 5_000;
  const inFlight = new Set<Response>();
  let draining = false;
  server.pre((req, res, next) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    // While draining, each answer closes its connection, so a proxy's kept-alive connection brings no more work.
    if (draining) res.shouldKeepAlive = false;
    return next();
  });
  server.pre(securityHeaders);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.on('restifyError', (req: Request, res: Response, error: { statusCode?: number; message?: string; name?: string }, callback: () => void) => {
    const status = error.statusCode ?? 500;
    // A client's mistake (a scanner's 404, bad JSON) needs no stack: it only multiplies log volume.
    const err = status >= 500 ? error : { type: error.name, message: error.message };
    (status >= 500 ? logger.error.bind(logger) : logger.warn.bind(logger))({ err, route: req.getPath(), status }, 'request failed');
    answerWithoutInternals(res, status);
    return callback();
  });

  return {
    server,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as { port: number }).port));
      }),
    get draining() {
      return draining;
    },
    close: async (graceMs) => {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + graceMs;
      while (inFlight.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      server.server.closeAllConnections?.();
      await closed;
    },
  };
}

/**
 * JSON bodies up to `maxBytes`: another declared media type → 415 (restify's parser would otherwise read a
 * form post as if it were JSON), malformed JSON → 400, oversized → 413, each with a clear message.
 */
export function jsonBody(maxBytes: number) {
  const requireJson = (req: Request, res: Response, next: (proceed?: boolean) => void) => {
    const declared = req.header('content-type');
    if (declared && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(declared)) {
      res.send(415, { code: 'UnsupportedMediaType', message: `Send JSON (content-type: application/json), not ${declared.split(';')[0]}.` });
      return next(false);
    }
    return next();
  };
  return [requireJson, ...restify.plugins.bodyParser({ maxBodySize: maxBytes, mapParams: false, mapFiles: false, rejectUnknown: true })];
}
