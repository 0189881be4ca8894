/** Erasing a customer keeps the digests their audit trail records, so an export taken before still matches it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import type { TicketExport } from '../../services/listening/export';
import type { IssuedExportVerdict } from '../../services/listening/exportIssuance';
import { startTestApp } from '../support/testApp';
import { api, staffToken } from './support';

const EMAIL = 'rui.costa@example.com';

describe('privacy erasure and export digests', () => {
  let app: App;

  beforeEach(async () => {
    app = await startTestApp();
  });

  afterEach(() => app.close());

  it('when the customer has a numeric user id that occurs inside an export digest, erasure leaves the digest and the export still matches the live trail', async () => {
    const call = api(app, await staffToken(app, 'supervisor'));
    const dmRef = (await app.tickets.open({ customer: { channelId: 'msteams', userId: 'dm-rui', name: 'Rui Costa' }, source: 'dm', description: 'Refund promised twice', contact: { email: EMAIL, consent: true } }, { kind: 'customer', id: 'dm-rui', name: 'Rui Costa' })).ref;
    // Each export is recorded in the trail, so a second export has a new digest: take one with a run of 3+ digits.
    let exported: TicketExport | undefined;
    let numericId: string | undefined;
    for (let attempt = 0; attempt < 5 && !numericId; attempt++) {
      exported = (await call<TicketExport>('GET', `/api/tickets/${dmRef}/export`)).body;
      numericId = /\d{3,}/.exec(exported.integrity.digest)?.[0];
    }
    expect(numericId).toBeDefined();
    // The same person on X, where user ids are numbers: that id is one of the values erasure replaces.
    await app.tickets.open({ customer: { channelId: 'x', userId: numericId!, name: 'Rui Costa' }, source: 'dm', description: 'Still no refund', contact: { email: EMAIL, consent: true } }, { kind: 'customer', id: numericId!, name: 'Rui Costa' });

    const erase = await call<{ ticketRefs: string[] }>('POST', '/api/privacy/erase', { email: EMAIL, confirm: true });
    expect(erase.status).toBe(200);
    expect(erase.body.ticketRefs).toContain(dmRef);

    const recorded = (await app.tickets.audit.list(dmRef)).filter((event) => event.action === 'ticket.exported').map((event) => (event.after as { digest: string }).digest);
    expect(recorded).toContain(exported!.integrity.digest);
    const { body } = await call<IssuedExportVerdict>('POST', '/api/audit/verify', exported);
    expect(body).toMatchObject({ intact: true, authentic: true, issued: { byUs: true }, liveTrail: { intact: true } });
    // The customer's own data in that trail is still erased.
    expect(JSON.stringify(await app.tickets.audit.list(dmRef))).not.toContain(EMAIL);
  });
});
