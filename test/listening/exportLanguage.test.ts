/** The customer's language travels with the ticket into the audit export (JSON and printable HTML). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import type { TicketExport } from '../../services/listening/export';
import { startTestApp } from '../support/testApp';
import { api, staffToken } from '../privacy/support';

describe('the export of a ticket from a customer writing another language', () => {
  let app: App;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(() => app.close());

  it('shows the language in the JSON and as a Language row in the HTML; a ticket without one has no such row', async () => {
    const customer = { channelId: 'msteams', userId: 'u-1', name: 'Carmen Ruiz' };
    const actor = { kind: 'customer' as const, id: 'u-1' };
    const spanish = await app.tickets.open({ customer, source: 'dm', description: 'Mi pedido llegó roto', language: 'es' }, actor);
    const english = await app.tickets.open({ customer, source: 'dm', description: 'My order arrived broken' }, actor);
    const call = api(app, await staffToken(app, 'supervisor'));

    expect((await call<TicketExport>('GET', `/api/tickets/${spanish.ref}/export?format=json`)).body.ticket).toMatchObject({ language: 'es' });
    expect((await call('GET', `/api/tickets/${spanish.ref}/export?format=html`)).text).toContain('<tr><th>Language</th><td>Spanish (es)</td></tr>');
    expect((await call('GET', `/api/tickets/${english.ref}/export?format=html`)).text).not.toContain('<th>Language</th>');
  });
});
