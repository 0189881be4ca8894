/** Header injection in follow-up e-mails: customer text (a mail subject, a name) can never add a header or a recipient. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpEmailSender } from '../../services/followUps/email';
import { startSmtpSink } from '../followUps/support';

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => sink?.stop());

describe('follow-up e-mail headers', () => {
  it('a subject with CR/LF stays one Subject line: no Bcc header, no extra recipient, no early body', async () => {
    const sender = new SmtpEmailSender({ url: sink.url, from: 'Acme Support <care@acme.example>', timeoutMs: 5000 });
    await sender.send({ to: 'priya@example.com', subject: 'Re: parcel\r\nBcc: evil@attacker.example\r\n\r\nInjected body', text: 'Your ticket is resolved.', idempotencyKey: 'CS-AAAAAA:1' });
    const [mail] = sink.mails;
    expect(mail.to).toEqual(['priya@example.com']);
    const headers = mail.raw.split('\r\n\r\n')[0];
    expect(headers).not.toMatch(/^Bcc:/im);
    expect(headers.match(/^Subject:/gim)).toHaveLength(1);
    expect(mail.raw).not.toMatch(/^Injected body/m);
  });

  it('a recipient address with CR/LF is refused, never sent', async () => {
    const sender = new SmtpEmailSender({ url: sink.url, from: 'care@acme.example', timeoutMs: 5000 });
    const before = sink.mails.length;
    await expect(sender.send({ to: 'priya@example.com\r\nRCPT TO:<evil@attacker.example>', subject: 'Hi', text: 'x', idempotencyKey: 'CS-AAAAAA:2' })).rejects.toThrow();
    expect(sink.mails).toHaveLength(before);
  });
});
