/** Staff API access for privacy/report tests: an account with a role and its bearer token. */
import type { App } from '../../index';

export async function staffToken(app: App, role: 'agent' | 'supervisor' | 'executive', email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`): Promise<string> {
  const agent = await app.agents.accounts.create({ email, name: `${role} tester`, role, password: 'correct horse battery staple' });
  return (await app.agents.auth.createApiToken(agent._id, 'tests')).token;
}

export function api(app: App, token: string) {
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> => {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* HTML */
    }
    return { status: response.status, body: parsed as T, text };
  };
}
