import { describe, expect, it } from 'vitest';
import { formatWhenShort, followUpWords, type Wording } from '../../services/followUps/messages';
import { smsSegments } from '../../services/followUps/smsSegments';
import { SMS_OPT_OUT } from '../../services/followUps/smsWording';

describe('smsSegments', () => {
  it.each([
    ['an empty text is one segment', '', 'GSM-7', 0, 1],
    ['160 GSM-7 characters are one segment', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 GSM-7 characters are two segments', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 GSM-7 characters are two segments of 153', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 GSM-7 characters are three segments', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['the euro sign takes two septets', '€'.repeat(80), 'GSM-7', 160, 1],
    ['159 characters and a euro sign are two segments', 'a'.repeat(159) + '€', 'GSM-7', 161, 2],
    ['Ä, £ and é are GSM-7', 'Ä£é'.repeat(50), 'GSM-7', 150, 1],
    ['one curly quote makes the text UCS-2: 70 fit in one segment', 'a'.repeat(69) + '’', 'UCS-2', 70, 1],
    ['71 UCS-2 characters are two segments', 'a'.repeat(70) + '’', 'UCS-2', 71, 2],
    ['134 UCS-2 characters are two segments of 67', 'a'.repeat(133) + '’', 'UCS-2', 134, 2],
    ['135 UCS-2 characters are three segments', 'a'.repeat(134) + '’', 'UCS-2', 135, 3],
    ['an emoji is two UTF-16 units', 'a'.repeat(68) + '😀', 'UCS-2', 70, 1],
  ])('%s', (_name, text, encoding, units, segments) => {
    expect(smsSegments(text)).toEqual({ encoding, units, segments });
  });

  it('never splits a two-septet character or an emoji across parts', () => {
    // 152 plain septets then € (2): the € cannot share part one (153), so 3 parts for 152 + 2 + 152 septets.
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(152)).segments).toBe(3);
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(151)).segments).toBe(2);
    // 66 units then an emoji (2) does not fit part one (67): it moves on whole.
    expect(smsSegments('a'.repeat(66) + '😀' + 'a'.repeat(65)).segments).toBe(2);
    expect(smsSegments('a'.repeat(66) + '😀' + 'a'.repeat(66)).segments).toBe(3);
  });
});

describe('follow-up SMS wording', () => {
  const at = new Date('2026-03-03T09:00:00Z');
  const wording = (over: Partial<Wording> = {}): Wording => ({
    brand: 'Acme',
    ref: 'CS-ACPGT2',
    via: 'elsewhere',
    hasChat: true,
    nextUpdate: 'Tuesday 3 March at 10:00 (GMT+1)',
    nextUpdateShort: formatWhenShort(at, 'Europe/Berlin'),
    ...over,
  });
  const longNote =
    'We have spoken to the courier and they found your parcel at the depot in Leeds; it will be delivered tomorrow between 9 and 12, and we have refunded the delivery charge to your card as a thank you for waiting so patiently with us.';
  const messages = (w: Wording) => [
    followUpWords.update(w, { status: 'in_progress', notes: [], assigned: true }),
    followUpWords.update(w, { status: 'waiting_on_customer', notes: [longNote], escalated: true }),
    followUpWords.update(w, { notes: [`${longNote} 😀 ${longNote}`] }),
    followUpWords.checkIn(w, 'open', true),
    followUpWords.resolution(w, [longNote, longNote], 7),
    followUpWords.csat(w),
    followUpWords.closed(w, [longNote]),
  ];

  it('names the brand first in every SMS, and only the first SMS about a ticket says how to opt out', () => {
    for (const w of [wording(), wording({ hasChat: false }), wording({ brand: 'Müller & Söhne Versand' })]) {
      for (const message of messages(w)) {
        expect(message.smsText.startsWith(`${w.brand}: `)).toBe(true);
        expect(message.smsFirstText!.startsWith(`${w.brand}: `)).toBe(true);
        expect(message.smsText).toContain(w.ref);
        expect(message.smsFirstText!.endsWith(` ${SMS_OPT_OUT}`)).toBe(true);
        expect(message.smsText).not.toContain('STOP');
      }
    }
  });

  it('keeps every SMS within two segments, shortening a long team note at a word boundary', () => {
    for (const w of [wording(), wording({ hasChat: false })]) {
      for (const message of messages(w)) {
        for (const text of [message.smsText, message.smsFirstText!]) expect(smsSegments(text).segments, text).toBeLessThanOrEqual(2);
      }
    }
    const [, withNote] = messages(wording());
    const quoted = /Our team says: "(.*)"/.exec(withNote.smsFirstText!)?.[1] ?? '';
    expect(quoted.endsWith('...')).toBe(true);
    // What is kept is the note's own words, whole, from its start.
    expect(longNote.startsWith(quoted.slice(0, -3))).toBe(true);
    expect(longNote.slice(quoted.length - 3)).toMatch(/^[\s,;]/);
  });

  it('writes the SMS in GSM-7 when the wording allows it (typographic quotes become plain ones)', () => {
    const message = followUpWords.update(wording(), { status: 'in_progress', notes: ['We’ve found it – it’s on its way “today”.'] });
    expect(smsSegments(message.smsFirstText!).encoding).toBe('GSM-7');
    expect(message.smsFirstText).toContain(`"We've found it - it's on its way "today"."`);
  });

  it('says when the next update comes, in short', () => {
    const message = followUpWords.checkIn(wording(), 'in_progress', false);
    expect(message.smsText).toBe('Acme: Checking in on your ticket CS-ACPGT2: our team is still working on it. No news yet, but we have not forgotten you. Next update by Tue 3 Mar 10:00 CET.');
  });
});
