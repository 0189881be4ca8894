/**
 * The HTTP server. Each door is a small route module registered here by index.ts; this file owns
 * the shared concerns: body limits, clear errors for bad input, in-flight tracking for shutdown.
 */
import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from '../log';

export type RouteModule = (server: Server) => void;

export interface HttpServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, waits for requests in flight (up to graceMs), then closes. */
  close(graceMs: number): Promise<void>;
}

export function createHttpServer(logger: Logger): HttpServer {
  const server = restify.createServer({ name: 'social-care-bot', handleUncaughtExceptions: false });
  let inFlight = 0;
  server.pre((req, res, next) => {
    inFlight++;
    res.once('close', () => inFlight--);
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.on('restifyError', (req: Request, res: Response, error: { statusCode?: number; message?: string }, callback: () => void) => {
    const status = error.statusCode ?? 500;
    (status >= 500 ? logger.error.bind(logger) : logger.warn.bind(logger))({ err: error, route: req.getPath(), status }, 'request failed');
    return callback();
  });

  return {
    server,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as { port: number }).port));
      }),
    close: async (graceMs) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
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
