/**
 * Reports, listening alerts, crisis mode and audit exports: JSON for the console and integrations, plus
 * the reports page and its locally served Chart.js. Supervisors and executives only, except chain checks.
 */
import path from 'node:path';
import type { Request, RequestHandlerType, Response, Server } from 'restify';
import { DAY } from '../clock';
import type { Clock } from '../clock';
import type { AlertService } from '../listening/alerts';
import type { CrisisService } from '../listening/crisis';
import { exportHtml, exportTicket, type ExportSources } from '../listening/export';
import { verifyExportAgainstTrail } from '../listening/exportIssuance';
import { MAX_REPORT_DAYS, type Reports } from '../listening/reports';
import { verifyChain } from '../tickets/audit';
import { jsonBody } from './server';
import { type StaffFiles, staffFiles } from './staffFiles';
import { staffActor, staffRoute, type StaffGuard, type StaffRouteDoc } from './staffGuard';

export interface ReportRouteDeps {
  guard: StaffGuard;
  reports: Reports;
  alerts: AlertService;
  crisis: CrisisService;
  exports: ExportSources;
  clock: Clock;
  maxBodyBytes: number;
}

const WEB_DIR = path.join(__dirname, '..', '..', 'web', 'agent');
// The UMD build is not in chart.js's package exports; find it next to the package's main file.
const CHART_JS = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
/** The printable export runs no script and loads nothing; its one inline <style> is all it needs. */
const EXPORT_PAGE_HEADERS = { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" };
const STATIC: StaffFiles = {
  '/agent/reports': { file: path.join(WEB_DIR, 'reports.html'), type: 'text/html' },
  '/agent/reports.html': { file: path.join(WEB_DIR, 'reports.html'), type: 'text/html' },
  '/agent/reports.js': { file: path.join(WEB_DIR, 'reports.js'), type: 'text/javascript' },
  '/agent/reports.css': { file: path.join(WEB_DIR, 'reports.css'), type: 'text/css' },
  '/agent/vendor/chart.umd.min.js': { file: CHART_JS, type: 'text/javascript' },
};

export function parsePeriod(query: Record<string, unknown>, now: Date): { from: Date; to: Date } | string {
  const to = query.to ? new Date(String(query.to)) : now;
  const from = query.from ? new Date(String(query.from)) : new Date(to.getTime() - 30 * DAY);
  if (Number.isNaN(to.getTime()) || Number.isNaN(from.getTime())) return 'from and to must be dates (YYYY-MM-DD or ISO 8601)';
  if (from >= to) return 'from must be before to';
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY) return `a report covers at most ${MAX_REPORT_DAYS} days`;
  return { from, to };
}

/** The JSON routes, as /api/openapi.json lists them. */
export const REPORT_API = {
  summary: { method: 'get', path: '/api/reports/summary', role: 'supervisor', summary: 'Volume, response and resolution times, SLA attainment, CSAT and the fairness view for a period (?from&to&channel)' },
  alerts: { method: 'get', path: '/api/listening/alerts', role: 'supervisor', summary: 'Spike and reach alerts, newest first; a spike alert carries its surge: active, or subsided with its peak, people and end' },
  ackAlert: { method: 'post', path: '/api/listening/alerts/:id/ack', role: 'supervisor', summary: 'Acknowledge an alert' },
  crisisModes: { method: 'get', path: '/api/listening/crisis', role: 'supervisor', summary: 'Topics in crisis mode' },
  crisisSwitch: { method: 'post', path: '/api/listening/crisis', role: 'supervisor', summary: 'Switch crisis mode on or off for a topic' },
  crisisStatement: { method: 'post', path: '/api/listening/crisis/statement', role: 'supervisor', summary: 'Post the holding statement for a topic in crisis' },
  exportTicket: { method: 'get', path: '/api/tickets/:ref/export', role: 'supervisor', summary: "A ticket's full record (JSON, or printable HTML) with its audit hash chain" },
  verifyTicket: { method: 'get', path: '/api/tickets/:ref/verify', role: 'agent', summary: "Check a ticket's audit hash chain" },
  verifyExport: { method: 'post', path: '/api/audit/verify', role: 'agent', summary: "Check a saved export: its own chain and digest, whether the ticket's live audit trail records issuing it (when, to whom), and whether that trail still verifies" },
} as const satisfies Record<string, StaffRouteDoc>;

export function reportRoutes(deps: ReportRouteDeps) {
  const { guard } = deps;
  return (server: Server): void => {
    const route = (doc: StaffRouteDoc, ...handlers: RequestHandlerType[]) => staffRoute(server, guard, doc, ...handlers);
    staffFiles(server, STATIC);

    route(REPORT_API.summary, async (req: Request, res: Response) => {
      const period = parsePeriod(req.query ?? {}, deps.clock.now());
      if (typeof period === 'string') return void res.send(400, { error: 'VALIDATION_FAILED', message: period });
      const channel = typeof req.query?.channel === 'string' && req.query.channel ? req.query.channel : undefined;
      res.send(200, await deps.reports.forPeriod(period.from, period.to, channel));
    });

    route(REPORT_API.alerts, async (req: Request, res: Response) => {
      res.send(200, { alerts: await deps.alerts.list(Number(req.query?.limit) || 50) });
    });
    route(REPORT_API.ackAlert, async (req: Request, res: Response) => {
      const done = await deps.alerts.acknowledge(String(req.params.id), staffActor(guard, req).id);
      res.send(done ? 200 : 404, done ? { acknowledged: true } : { error: 'NOT_FOUND', message: 'No such unacknowledged alert' });
    });

    route(REPORT_API.crisisModes, async (_req: Request, res: Response) => {
      res.send(200, { modes: await deps.crisis.list() });
    });
    route(REPORT_API.crisisSwitch, jsonBody(deps.maxBodyBytes), async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as { topic?: unknown; active?: unknown; reason?: unknown };
      if (typeof body.topic !== 'string' || !body.topic.trim() || body.topic.length > 100 || typeof body.active !== 'boolean') {
        return void res.send(400, { error: 'VALIDATION_FAILED', message: 'Send {"topic": "#hashtag or keyword:word", "active": true|false, "reason": "…"}' });
      }
      const topic = body.topic.trim().toLowerCase();
      const reason = typeof body.reason === 'string' ? body.reason.slice(0, 300) : 'switched by a supervisor';
      const actor = staffActor(guard, req);
      const mode = body.active ? await deps.crisis.activate(topic, actor, reason) : await deps.crisis.deactivate(topic, actor, reason);
      res.send(mode ? 200 : 404, mode ?? { error: 'NOT_FOUND', message: 'That topic is not in crisis mode' });
    });
    route(REPORT_API.crisisStatement, jsonBody(deps.maxBodyBytes), async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as { topic?: unknown; text?: unknown };
      if (typeof body.topic !== 'string') return void res.send(400, { error: 'VALIDATION_FAILED', message: 'Send {"topic": "…", "text": "optional edited statement"}' });
      try {
        res.send(200, await deps.crisis.postHoldingStatement(body.topic, staffActor(guard, req), typeof body.text === 'string' ? body.text.slice(0, 280) : undefined));
      } catch (error) {
        res.send(409, { error: 'NOT_POSTED', message: (error as Error).message });
      }
    });

    route(REPORT_API.exportTicket, async (req: Request, res: Response) => {
      const exported = await exportTicket(deps.exports, String(req.params.ref), staffActor(guard, req));
      if (!exported) return void res.send(404, { error: 'TICKET_NOT_FOUND', message: 'No such ticket' });
      const wantsHtml = req.query?.format === 'html' || (!req.query?.format && (req.header('accept') ?? '').includes('text/html'));
      if (wantsHtml) {
        res.sendRaw(200, exportHtml(exported), { 'content-type': 'text/html; charset=utf-8', ...EXPORT_PAGE_HEADERS, 'cache-control': 'no-store' });
      } else {
        res.header('content-disposition', `attachment; filename="${exported.ticket.ref}-export.json"`);
        res.header('cache-control', 'no-store');
        res.send(200, exported);
      }
    });
    route(REPORT_API.verifyTicket, async (req: Request, res: Response) => {
      const ref = String(req.params.ref);
      const events = await deps.exports.audit.list(ref);
      if (events.length === 0) return void res.send(404, { error: 'TICKET_NOT_FOUND', message: 'No audit trail for that ticket' });
      res.send(200, { ticketRef: ref, ...verifyChain(events), headHash: events.at(-1)!.hash });
    });
    route(REPORT_API.verifyExport, jsonBody(Math.max(deps.maxBodyBytes, 20_000_000)), async (req: Request, res: Response) => {
      // Self-consistency alone is forgeable (the digest can be recomputed): the live trail says whether we issued it.
      res.send(200, await verifyExportAgainstTrail(req.body, (ref) => deps.exports.audit.list(ref)));
    });
  };
}
