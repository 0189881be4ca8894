/** A saved export checked against the live audit trail: an edited export with a recomputed digest is not one we issued. */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { verifyExport, type TicketExport } from '../../services/listening/export';
import type { IssuedExportVerdict } from '../../services/listening/exportIssuance';
import { canonicalJson, type AuditRecord } from '../../services/tickets/audit';
import { startTestApp } from '../support/testApp';
import { api, staffToken } from '../privacy/support';
import { runVerifyCli } from './support/verifyCli';

/** What a forger does: edit the document, then recompute its digest as the export itself explains. */
function forged(original: TicketExport, edit: (copy: TicketExport) => void): TicketExport {
  const copy = structuredClone(original);
  edit(copy);
  const { integrity, ...rest } = copy;
  return { ...copy, integrity: { ...integrity, digest: createHash('sha256').update(canonicalJson(rest)).digest('hex') } };
}

describe('verifying a saved export against the live audit trail', () => {
  let app: App;
  let ref: string;

  beforeEach(async () => {
    app = await startTestApp();
    ref = (await app.tickets.open({ customer: { channelId: 'x', userId: 'x-9', name: 'Rui Costa' }, source: 'dm', description: 'Refund promised twice, never came' }, { kind: 'customer', id: 'x-9', name: 'Rui Costa' })).ref;
    await app.transcripts.record({ conversationId: 'dm-1', channelId: 'x', ticketRef: ref, direction: 'out', actor: { kind: 'agent', id: 'agt_7', name: 'Mina' }, text: 'I have approved the refund today.' });
  });

  afterEach(() => app.close());

  it('when an export we issued is posted back, the server says it is ours, when and to whom, and that the live trail verifies', async () => {
    const supervisor = await app.agents.accounts.create({ email: 'lead@example.com', name: 'Lena Lead', role: 'supervisor', password: 'correct horse battery staple' });
    const call = api(app, (await app.agents.auth.createApiToken(supervisor._id, 'tests')).token);
    const { body: exported } = await call<TicketExport>('GET', `/api/tickets/${ref}/export`);

    const { status, body } = await api(app, await staffToken(app, 'agent'))<IssuedExportVerdict>('POST', '/api/audit/verify', exported);
    expect(status).toBe(200);
    // Issued when the trail recorded it (a moment after the document's own exportedAt).
    const issuedAt = (await app.tickets.audit.list(ref)).find((event) => event.action === 'ticket.exported')!.at.toISOString();
    expect(body).toMatchObject({ intact: true, documentMatches: true, authentic: true, issued: { byUs: true, at: issuedAt, to: { kind: 'agent', id: supervisor._id, name: 'Lena Lead' } }, liveTrail: { ticketRef: ref, intact: true } });
    expect(body.summary).toContain(`issued by us on ${issuedAt.slice(0, 19).replace('T', ' ')} UTC to Lena Lead (${supervisor._id})`);
    expect(body.summary).toContain("the ticket's live audit trail verifies");
  });

  it('when an edited export carries a recomputed digest, it verifies on its own (and offline) but the server says it is not an export we issued', async () => {
    const call = api(app, await staffToken(app, 'supervisor'));
    const { body: exported } = await call<TicketExport>('GET', `/api/tickets/${ref}/export`);
    const edited = forged(exported, (copy) => void (copy.transcript[0]!.text = 'We cannot refund this order.'));
    expect(verifyExport(edited)).toMatchObject({ intact: true, documentMatches: true });

    const { body } = await call<IssuedExportVerdict>('POST', '/api/audit/verify', edited);
    expect(body).toMatchObject({ intact: true, authentic: false, issued: { byUs: false }, liveTrail: { intact: true } });
    expect(body.summary).toContain('not an export we issued');

    // The CLI cannot tell, and says it checks self-consistency only.
    const offline = runVerifyCli(edited);
    expect(offline.status).toBe(0);
    expect(offline.out).toMatch(/self-consistency only.*POST \/api\/audit\/verify/i);
  });

  it('when the stored audit trail was tampered with after the export, the server says the export is ours but the live trail no longer verifies', async () => {
    const call = api(app, await staffToken(app, 'supervisor'));
    const { body: exported } = await call<TicketExport>('GET', `/api/tickets/${ref}/export`);
    await app.db.collection<AuditRecord>('auditEvents').updateOne({ ticketRef: ref, seq: 1 }, { $set: { action: 'ticket.closed' } });

    const { body } = await call<IssuedExportVerdict>('POST', '/api/audit/verify', exported);
    expect(body).toMatchObject({ intact: true, authentic: false, issued: { byUs: true }, liveTrail: { intact: false, brokenAt: { seq: 1 } } });
    expect(body.summary).toMatch(/live audit trail is BROKEN at event 1/);
  });

  it("when the export names a ticket we have no trail for, it is not one we issued", async () => {
    const call = api(app, await staffToken(app, 'supervisor'));
    const { body: exported } = await call<TicketExport>('GET', `/api/tickets/${ref}/export`);
    const elsewhere = forged(exported, (copy) => {
      copy.ticket.ref = 'CS-NOSUCH';
      for (const event of copy.auditEvents) event.ticketRef = 'CS-NOSUCH';
    });
    const { body } = await call<IssuedExportVerdict>('POST', '/api/audit/verify', elsewhere);
    expect(body).toMatchObject({ authentic: false, issued: { byUs: false }, liveTrail: { ticketRef: 'CS-NOSUCH', events: 0 } });
    expect(body.summary).toContain('no live audit trail for that ticket');
  });
});
