import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { verifyExport, type TicketExport } from '../../services/listening/export';
import type { AuditRecord } from '../../services/tickets/audit';
import { SYSTEM_ACTOR } from '../../services/tickets/types';
import { startTestApp } from '../support/testApp';
import { api, staffToken } from '../privacy/support';

describe('audit export of one ticket', () => {
  let app: App;
  let ref: string;

  beforeEach(async () => {
    app = await startTestApp();
    const ticket = await app.tickets.open(
      {
        customer: { channelId: 'facebook', userId: 'fb-1', name: 'Ana Lima' },
        source: 'public_post',
        description: 'Parcel marked delivered, nothing here',
        publicPost: { platform: 'facebook', postId: '123_456', text: 'Delivered? Where <b>is</b> it', authorId: 'fb-1', authorName: 'Ana Lima', postedAt: new Date('2026-03-01T09:00:00Z') },
      },
      { kind: 'customer', id: 'fb-1', name: 'Ana Lima' },
    );
    ref = ticket.ref;
    await app.transcripts.record({ conversationId: 'c1', channelId: 'facebook', ticketRef: ref, direction: 'in', actor: { kind: 'customer', id: 'fb-1' }, text: 'Hello, it never came' });
    await app.transcripts.record({
      conversationId: 'c1',
      channelId: 'facebook',
      ticketRef: ref,
      direction: 'in',
      actor: { kind: 'customer', id: 'fb-1' },
      text: 'the label',
      files: [{ contentType: 'image/jpeg', name: '<label>.jpg', url: 'https://files.example/label.jpg' }],
    });
    await app.tickets.addNote(ref, 'internal', 'Courier confirms wrong address scan', { kind: 'agent', id: 'agt_1', name: 'Asha' });
    await app.tickets.changeStatus(ref, 'resolved', { kind: 'agent', id: 'agt_1', name: 'Asha' });
    await app.tickets.changeStatus(ref, 'closed', SYSTEM_ACTOR);
  });

  afterEach(() => app.close());

  it('as JSON holds the ticket, the public post, the transcript, every audit event with actor and time, and an intact chain that re-verifies offline', async () => {
    const call = api(app, await staffToken(app, 'supervisor'));
    const { status, body } = await call<TicketExport>('GET', `/api/tickets/${ref}/export?format=json`);
    expect(status).toBe(200);
    expect(body.publicPost).toMatchObject({ postId: '123_456' });
    expect(body.transcript.map((line) => line.text)).toEqual(['Hello, it never came', 'the label']);
    expect(body.auditEvents.map((event) => event.action)).toEqual(['ticket.opened', 'ticket.note_internal', 'ticket.status_changed', 'ticket.status_changed']);
    expect(body.auditEvents[1]).toMatchObject({ actor: { kind: 'agent', id: 'agt_1' }, note: 'Courier confirms wrong address scan' });
    expect(body.chain).toMatchObject({ intact: true, events: 4 });
    expect(verifyExport(body)).toMatchObject({ intact: true, headMatches: true });
    expect((await call('POST', '/api/audit/verify', body)).body).toMatchObject({ intact: true });
  });

  it('detects an event modified in a saved export, and one modified in the store', async () => {
    const call = api(app, await staffToken(app, 'supervisor'));
    const { body } = await call<TicketExport>('GET', `/api/tickets/${ref}/export?format=json`);
    const edited = structuredClone(body);
    edited.auditEvents[1]!.note = 'Customer was rude';
    expect(verifyExport(edited)).toMatchObject({ intact: false, brokenAt: { seq: 2, reason: 'content was changed after it was recorded' } });
    const backdated = structuredClone(body);
    (backdated.auditEvents[2] as { at: unknown }).at = '2026-01-01T00:00:00.000Z';
    expect(verifyExport(backdated)).toMatchObject({ intact: false, brokenAt: { seq: 3 } });
    const truncated = structuredClone(body);
    truncated.auditEvents.pop();
    expect(verifyExport(truncated)).toMatchObject({ intact: false, headMatches: false });
    expect((await call('POST', '/api/audit/verify', edited)).body).toMatchObject({ intact: false });

    await app.db.collection<AuditRecord>('auditEvents').updateOne({ ticketRef: ref, seq: 3 }, { $set: { after: { status: 'in_progress' } } });
    const verdict = await call<{ intact: boolean; brokenAt: { seq: number } }>('GET', `/api/tickets/${ref}/verify`);
    expect(verdict.body).toMatchObject({ intact: false, brokenAt: { seq: 3 } });
  });

  it('as printable HTML escapes customer text and states the verification result', async () => {
    const call = api(app, await staffToken(app, 'supervisor'));
    const html = (await call('GET', `/api/tickets/${ref}/export?format=html`)).text;
    expect(html).toContain(`<h1>Ticket ${ref}</h1>`);
    expect(html).toContain('Audit chain: intact (4 events)');
    expect(html).toContain('Where &lt;b&gt;is&lt;/b&gt; it');
    expect(html).toContain('📎 &lt;label&gt;.jpg (image/jpeg) https://files.example/label.jpg');
    expect(html).toContain('@media print');
    expect(html).not.toContain('<script');
  });

  it('is refused to agents and anonymous callers, and 404s for an unknown ticket', async () => {
    expect((await fetch(`${app.url}/api/tickets/${ref}/export`)).status).toBe(401);
    expect((await api(app, await staffToken(app, 'agent'))('GET', `/api/tickets/${ref}/export`)).status).toBe(403);
    expect((await api(app, await staffToken(app, 'executive'))('GET', '/api/tickets/CS-NOPE00/export')).status).toBe(404);
  });
});
