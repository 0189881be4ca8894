import { describe, expect, it } from 'vitest';
import { MAX_MAIL_DESCRIPTION, cleanSubject, looksAutomated, mailDescription, splitMail } from '../../services/recognition/mailText';

describe('the new words of an e-mail, without what the mail program added', () => {
  it.each([
    ['Gmail\'s "On … wrote:" and ">" lines', 'It is still broken.\n\nOn Mon, 2 Mar 2026 at 10:00, Acme Support <support@acme.example> wrote:\n> Thank you for writing to us.\n> Ticket CS-7K3M9Q', 'It is still broken.'],
    ['an "On … wrote:" wrapped over two lines', 'Any news?\r\n\r\nOn Mon, 2 Mar 2026 at 10:00, Acme Support <\r\nsupport@acme.example> wrote:\r\n\r\n> Thank you', 'Any news?'],
    ['Outlook\'s "From: … Sent: …" block', 'AB-2024117 is the order.\n\n________________________________\nFrom: Acme Support <support@acme.example>\nSent: Monday, March 2, 2026 10:00 AM\nTo: Priya Raman\nSubject: RE: Cracked kettle\n\nThank you for writing to us.', 'AB-2024117 is the order.'],
    ['a "From:" block without the underscore line', 'Thanks.\n\nFrom: Acme Support <support@acme.example>\nTo: Priya\nSent: Monday\nOld text', 'Thanks.'],
    ['"-----Original Message-----"', 'See below.\n-----Original Message-----\nFrom: someone', 'See below.'],
    ['a "-- " signature and "Sent from my iPhone"', 'The lid is missing.\n\nSent from my iPhone', 'The lid is missing.'],
    ['German "Am … schrieb …:"', 'Immer noch kaputt.\n\nAm Mo., 2. März 2026 um 10:00 Uhr schrieb Acme Support <support@acme.example>:\nDanke für Ihre Nachricht.', 'Immer noch kaputt.'],
    ['Spanish "El … escribió:"', 'Sigue roto.\n\nEl lun, 2 mar 2026 a las 10:00, Acme Support (<support@acme.example>) escribió:\nGracias por escribirnos.', 'Sigue roto.'],
    ['French "Le … a écrit :"', 'Toujours cassé.\n\nLe lun. 2 mars 2026 à 10:00, Acme Support <support@acme.example> a écrit :\n> Merci', 'Toujours cassé.'],
    ['German Outlook "Von: … Gesendet: …"', 'Hier die Nummer: AB-2024117\n\nVon: Acme Support <support@acme.example>\nGesendet: Montag, 2. März 2026 10:00\nAn: Priya\n\nDanke.', 'Hier die Nummer: AB-2024117'],
    ['words below the quote (bottom-posting)', 'On Mon, 2 Mar 2026, Acme <support@acme.example> wrote:\n> Which model?\n\nThe KT-200.\n-- \nPriya', 'The KT-200.'],
    ['answers between quoted lines', '> Which model?\nKT-200\n> Since when?\nMonday', 'KT-200\n\nMonday'],
  ])('%s is set apart', (_name, text, body) => {
    expect(splitMail(text).body).toBe(body);
  });

  it('keeps the signature apart (a phone number in it is still the customer\'s) and the quoted history apart', () => {
    const parts = splitMail('Cracked kettle.\n\nThanks,\nPriya\n-- \nPriya Raman\nMobile: +44 7700 900123\n\n> old words');
    expect(parts).toEqual({ body: 'Cracked kettle.\n\nThanks,\nPriya', signature: 'Priya Raman\nMobile: +44 7700 900123', quoted: '> old words', forwarded: false });
  });

  it('leaves ordinary words alone, including a story that begins with "On"', () => {
    const text = 'On Monday the courier left it outside.\nFrom what I can see, the box was opened.\n\n- the lid\n- the cable';
    expect(splitMail(text).body).toBe(text);
  });

  it('marks a forward by its own marker line, so what the customer forwarded is kept', () => {
    expect(splitMail('See below.\n\n---------- Forwarded message ---------\nFrom: Acme Orders\n\nOrder AB-2024555').forwarded).toBe(true);
    expect(splitMail('See below.\n\nOn Mon, Acme wrote:\n> old').forwarded).toBe(false);
  });

  it('takes reply and forward prefixes off the subject', () => {
    expect(cleanSubject('RE: Fwd: AW:  Cracked kettle')).toBe('Cracked kettle');
    expect(cleanSubject(undefined)).toBe('');
  });

  it('makes the description from the subject and the body, cut at its limit', () => {
    expect(mailDescription('Re: Cracked kettle', 'It leaks.')).toBe('Cracked kettle\n\nIt leaks.');
    const long = mailDescription('Subject', 'x'.repeat(MAX_MAIL_DESCRIPTION * 2));
    expect(long).toHaveLength(MAX_MAIL_DESCRIPTION);
    expect(long.endsWith('…')).toBe(true);
  });

  it.each([
    ['MAILER-DAEMON@mx.example.com', 'Undelivered Mail Returned to Sender', true],
    ['no-reply@shop.example', 'Your receipt', true],
    ['priya.raman@example.com', 'Automatic reply: Leaking kettle', true],
    ['priya.raman@example.com', 'RE: Out of Office: back on Monday', true],
    ['priya.raman@example.com', 'RE: Leaking kettle', false],
    ['noreen@example.com', 'Out of stock item never sent', false],
    ['priya.raman@example.com', 'Automatische Antwort: Leaking kettle', true],
    ['priya.raman@example.com', 'Respuesta automática: Leaking kettle', true],
    ['postmaster@example.com', 'Unzustellbar: Leaking kettle', true],
    ['priya.raman@example.com', 'Respuesta automáticamente generada por error', false],
  ])('a mail from %s about "%s" is automated: %s', (sender, subject, automated) => {
    expect(looksAutomated(sender, subject)).toBe(automated);
  });
});
