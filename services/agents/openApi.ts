/**
 * /api/openapi.json, written from the same route table that registers and guards the agent API, and from
 * the entries the reports, listening, export and privacy routes are registered and guarded with.
 */
import type { ApiRoute } from '../http/agentRoutes';
import type { StaffRouteDoc } from '../http/staffGuard';

export function openApiDocument(routes: ApiRoute[], staffRoutes: StaffRouteDoc[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {
    '/api/agent/login': {
      post: {
        summary: 'Sign in; sets the http-only session cookie and returns the CSRF token',
        security: [],
        requestBody: jsonSchema({ email: { type: 'string' }, password: { type: 'string' } }, ['email', 'password']),
        responses: { 200: { description: 'Signed in' }, 401: { description: 'Wrong e-mail or password' }, 429: { description: 'Locked after repeated failures' } },
      },
    },
    '/api/agent/events': {
      get: { summary: 'Live updates (text/event-stream): queue, customer messages and typing, alerts', 'x-min-role': 'agent', responses: { 200: { description: 'Event stream' }, 401: { description: 'Not signed in' } } },
    },
  };
  for (const route of routes) {
    const query = Object.entries(route.query ?? {}).map(([name, field]) => ({ name, in: 'query', required: field.required === true, schema: { type: field.type, ...(field.maxLength && { maxLength: field.maxLength }) } }));
    const required = Object.entries(route.body ?? {}).filter(([, field]) => field.required).map(([name]) => name);
    const aboutTicket = { 404: { description: 'No such ticket' }, 409: { description: 'Someone else holds the conversation, or the change is not allowed now' } };
    const aboutOther: Record<number, { description: string }> = route.path.includes(':id') ? { 404: { description: 'No such account or token' } } : {};
    addOperation(paths, route, query, route.body && jsonSchema(route.body, required), route.path.includes(':ref') ? aboutTicket : aboutOther);
  }
  for (const route of staffRoutes) {
    const body = route.method === 'post' ? { required: true, content: { 'application/json': { schema: { type: 'object' } } } } : undefined;
    addOperation(paths, route, [], body, route.path.includes(':') ? { 404: { description: 'Not found' } } : {});
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Agent console API', version: '1.0.0', description: 'Used by the console at /agent (queue, reports, privacy) and by integrations with an API token.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sc_agent', description: 'Console session; state-changing requests must also send x-csrf-token' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'API token created by a supervisor (POST /api/agent/tokens)' },
      },
    },
    security: [{ session: [] }, { apiToken: [] }],
    paths,
  };
}

/** One guarded operation: path parameters, the role it needs, and the answers every guarded route can give. */
function addOperation(
  paths: Record<string, Record<string, unknown>>,
  route: Pick<StaffRouteDoc, 'method' | 'path' | 'role' | 'summary'>,
  query: object[],
  requestBody: object | undefined,
  moreResponses: Record<number, { description: string }>,
): void {
  const parameters = [...[...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })), ...query];
  (paths[route.path.replace(/:(\w+)/g, '{$1}')] ??= {})[route.method] = {
    summary: route.summary,
    'x-min-role': route.role,
    ...(parameters.length && { parameters }),
    ...(requestBody && { requestBody }),
    responses: {
      200: { description: 'Done' },
      400: { description: 'Invalid input; nothing changed' },
      401: { description: 'Not signed in and no valid API token' },
      403: { description: `Needs the ${route.role} role or higher, or the CSRF token is missing` },
      ...moreResponses,
    },
  };
}

function jsonSchema(fields: Record<string, { type: string; enum?: readonly string[]; maxLength?: number }>, required: string[]) {
  const properties = Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [name, { type: field.type, ...(field.enum && { enum: field.enum }), ...(field.maxLength && { maxLength: field.maxLength }) }]),
  );
  return { required: true, content: { 'application/json': { schema: { type: 'object', properties, required } } } };
}
