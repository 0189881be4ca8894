/** Saved replies over the agent API: everyone signed in lists them, supervisors keep them, bad input is refused whole. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { createLogger } from '../../services/log';
import { startTestApp } from '../support/testApp';
import { signedIn } from './agentClient';

interface SavedReply {
  _id: string;
  title: string;
  text: string;
  createdBy: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
}

describe('saved replies API', () => {
  let app: App;
  let logLines: string[];
  beforeEach(async () => {
    logLines = [];
    const logger = createLogger({ level: 'info', redact: (text) => text, destination: { write: (line: string) => void logLines.push(line) } });
    app = await startTestApp({}, { logger });
  });
  afterEach(() => app.close());

  it('a supervisor creates, updates and deletes a saved reply, and agents list them by title', async () => {
    const sam = await signedIn(app, 'supervisor', 'Sam Lee');
    const asha = await signedIn(app, 'agent', 'Asha Patel');

    const { savedReply: refund } = await sam.json<{ savedReply: SavedReply }>('POST', '/api/agent/saved-replies', { title: '  Refund timing ', text: 'Hi {customer_first_name}, refunds take 5 days.' });
    expect(refund).toMatchObject({ title: 'Refund timing', text: 'Hi {customer_first_name}, refunds take 5 days.', createdBy: { id: sam.agentId, name: 'Sam Lee' } });
    expect(refund._id).toMatch(/^sr_/);
    await sam.json('POST', '/api/agent/saved-replies', { title: 'Apology', text: 'Sorry about that.' });

    const listed = await asha.json<{ savedReplies: SavedReply[] }>('GET', '/api/agent/saved-replies');
    expect(listed.savedReplies.map((reply) => reply.title)).toEqual(['Apology', 'Refund timing']);

    const { savedReply: changed } = await sam.json<{ savedReply: SavedReply }>('POST', `/api/agent/saved-replies/${refund._id}`, { title: 'Refund timing', text: 'Refunds take 3 days.' });
    expect(changed).toMatchObject({ _id: refund._id, text: 'Refunds take 3 days.', createdAt: refund.createdAt });

    expect(await sam.json('POST', `/api/agent/saved-replies/${refund._id}/delete`, {})).toEqual({ ok: true });
    const after = await asha.json<{ savedReplies: SavedReply[] }>('GET', '/api/agent/saved-replies');
    expect(after.savedReplies.map((reply) => reply.title)).toEqual(['Apology']);

    // The log says who changed which reply, never its text.
    const changes = logLines.filter((line) => line.includes('saved reply changed')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(changes.map((line) => line.action)).toEqual(['savedReply.created', 'savedReply.created', 'savedReply.updated', 'savedReply.deleted']);
    expect(changes[0]).toMatchObject({ by: sam.agentId, savedReplyId: refund._id });
    expect(logLines.join('\n')).not.toContain('refunds take');
  });

  it('an agent can list saved replies but gets 403 on create, update and delete, and nothing changes', async () => {
    const sam = await signedIn(app, 'supervisor', 'Sam Lee');
    const asha = await signedIn(app, 'agent', 'Asha Patel');
    const { savedReply } = await sam.json<{ savedReply: SavedReply }>('POST', '/api/agent/saved-replies', { title: 'Hello', text: 'Hello there.' });

    for (const [path, body] of [
      ['/api/agent/saved-replies', { title: 'Mine', text: 'Mine.' }],
      [`/api/agent/saved-replies/${savedReply._id}`, { title: 'Changed', text: 'Changed.' }],
      [`/api/agent/saved-replies/${savedReply._id}/delete`, {}],
    ] as const) {
      const response = await asha.request('POST', path, body);
      expect({ path, status: response.status, body: await response.json() }).toMatchObject({ path, status: 403, body: { error: 'FORBIDDEN' } });
    }
    const { savedReplies } = await asha.json<{ savedReplies: SavedReply[] }>('GET', '/api/agent/saved-replies');
    expect(savedReplies).toEqual([savedReply]);
    expect((await fetch(`${app.url}/api/agent/saved-replies`)).status).toBe(401);
  });

  it('refuses a missing, empty or too long title or text, and a wrong type, with 400 and stores nothing', async () => {
    const sam = await signedIn(app, 'supervisor', 'Sam Lee');
    const bad: Array<Record<string, unknown>> = [
      { text: 'No title' },
      { title: 'No text' },
      { title: '   ', text: 'Blank title' },
      { title: 'Blank text', text: '' },
      { title: 'x'.repeat(81), text: 'Title too long' },
      { title: 'Text too long', text: 'y'.repeat(2001) },
      { title: 42, text: 'Title is a number' },
    ];
    for (const body of bad) {
      const response = await sam.request('POST', '/api/agent/saved-replies', body);
      expect({ body, status: response.status, answer: await response.json() }).toMatchObject({ body, status: 400, answer: { error: 'VALIDATION_FAILED' } });
    }
    // The limits themselves are fine: 80 and 2000 characters (an emoji counts once).
    const { savedReply } = await sam.json<{ savedReply: SavedReply }>('POST', '/api/agent/saved-replies', { title: '🙂'.repeat(80), text: 'z'.repeat(2000) });
    const update = await sam.request('POST', `/api/agent/saved-replies/${savedReply._id}`, { title: 'Only a title' });
    expect(update.status).toBe(400);
    expect((await sam.json<{ savedReplies: SavedReply[] }>('GET', '/api/agent/saved-replies')).savedReplies).toEqual([savedReply]);
  });

  it('answers 404 for a saved reply that does not exist', async () => {
    const sam = await signedIn(app, 'supervisor', 'Sam Lee');
    const update = await sam.request('POST', '/api/agent/saved-replies/sr_missing', { title: 'T', text: 'T' });
    expect({ status: update.status, body: await update.json() }).toMatchObject({ status: 404, body: { error: 'SAVED_REPLY_NOT_FOUND' } });
    expect((await sam.request('POST', '/api/agent/saved-replies/sr_missing/delete', {})).status).toBe(404);
  });

  it('refuses changes without the CSRF token, and changes nothing', async () => {
    const sam = await signedIn(app, 'supervisor', 'Sam Lee');
    const { savedReply } = await sam.json<{ savedReply: SavedReply }>('POST', '/api/agent/saved-replies', { title: 'Hello', text: 'Hello there.' });
    for (const csrf of [undefined, 'not-the-token']) {
      for (const path of ['/api/agent/saved-replies', `/api/agent/saved-replies/${savedReply._id}`, `/api/agent/saved-replies/${savedReply._id}/delete`]) {
        const response = await fetch(`${app.url}${path}`, {
          method: 'POST',
          headers: { cookie: sam.cookie, 'content-type': 'application/json', ...(csrf && { 'x-csrf-token': csrf }) },
          body: JSON.stringify({ title: 'Forged', text: 'Forged.' }),
        });
        expect({ path, csrf, status: response.status, body: await response.json() }).toMatchObject({ path, csrf, status: 403, body: { error: 'CSRF_REJECTED' } });
      }
    }
    expect((await sam.json<{ savedReplies: SavedReply[] }>('GET', '/api/agent/saved-replies')).savedReplies).toEqual([savedReply]);
  });

  it('lists the four routes in /api/openapi.json with their roles', async () => {
    const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-min-role'?: string }>> };
    const roleOf = (path: string, method: string) => Object.entries(doc.paths).find(([key]) => key.replace(/\{(\w+)\}/g, ':$1') === path)?.[1][method]?.['x-min-role'];
    expect(roleOf('/api/agent/saved-replies', 'get')).toBe('agent');
    expect(roleOf('/api/agent/saved-replies', 'post')).toBe('supervisor');
    expect(roleOf('/api/agent/saved-replies/:id', 'post')).toBe('supervisor');
    expect(roleOf('/api/agent/saved-replies/:id/delete', 'post')).toBe('supervisor');
  });
});
