/** An HTTP client for the agent API as the console uses it: session cookie plus CSRF header. */
import type { App } from '../../index';
import type { Role } from '../../services/agents/accounts';

export const PASSWORD = 'correct horse battery staple';

export class AgentClient {
  cookie = '';
  csrf = '';
  agentId = '';

  constructor(readonly baseUrl: string) {}

  async login(email: string, password = PASSWORD): Promise<Response> {
    const response = await fetch(`${this.baseUrl}/api/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (response.ok) {
      this.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
      const body = (await response.clone().json()) as { csrfToken: string; agent: { _id: string } };
      this.csrf = body.csrfToken;
      this.agentId = body.agent._id;
    }
    return response;
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.cookie && { cookie: this.cookie }),
        ...(method !== 'GET' && this.csrf && { 'x-csrf-token': this.csrf }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    const data = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(data)}`);
    return data;
  }
}

/** Creates an account directly in the store and signs it in. */
export async function signedIn(app: App, role: Role, name = `${role[0].toUpperCase()}${role.slice(1)} Person`): Promise<AgentClient> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`;
  await app.agents.accounts.create({ email, name, role, password: PASSWORD });
  const client = new AgentClient(app.url);
  const response = await client.login(email);
  if (!response.ok) throw new Error(`login failed: ${response.status}`);
  return client;
}

/** An open GET /api/agent/events stream, read as text. */
export async function openFeed(client: AgentClient) {
  const response = await client.request('GET', '/api/agent/events');
  // Plain code, not expect(): the benchmarks use this client outside vitest.
  if (response.status !== 200) throw new Error(`live feed answered ${response.status}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let done = false;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    done = true;
  })();
  return {
    text: () => text,
    isDone: () => done,
    /** Resolves when the server ends the stream (the test times out if it never does). */
    ended: () => pump.then(() => text),
    cancel: () => reader.cancel().catch(() => undefined),
  };
}
