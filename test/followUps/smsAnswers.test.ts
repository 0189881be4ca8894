/** The texts the inbound SMS door sends back: brand first, the reference, within two segments; TwiML escaped. */
import { describe, expect, it } from 'vitest';
import { type AnsweredOutcome, EMPTY_TWIML, smsAnswerText, twimlOf } from '../../services/followUps/smsAnswers';
import { smsSegments } from '../../services/followUps/smsSegments';

const OUTCOMES: AnsweredOutcome[] = ['opted_out', 'withdrawal_noted', 'rating', 'feedback', 'reopened', 'opened'];
const REF = 'CS-7K3M9Q';

describe('SMS answers', () => {
  it.each(OUTCOMES)('the "%s" answer starts with the brand, names the ticket and fits one GSM-7 segment for a plain brand', (outcome) => {
    const text = smsAnswerText(outcome, 'Acme', REF)!;
    expect(text.startsWith('Acme: ')).toBe(true);
    expect(text).toContain(REF);
    expect(smsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('the opt-out answer says how to resume', () => {
    expect(smsAnswerText('opted_out', 'Acme', REF)).toMatch(/Reply START to resume\.$/);
  });

  it.each(OUTCOMES)('with a brand outside GSM-7 (emoji, Cyrillic) the "%s" answer stays within two UCS-2 segments, the brand first', (outcome) => {
    const brand = 'Доставка Экспресс Сервис 🚚📦';
    const text = smsAnswerText(outcome, brand, REF)!;
    expect(text.startsWith(`${brand}: `)).toBe(true);
    expect(smsSegments(text)).toMatchObject({ encoding: 'UCS-2' });
    expect(smsSegments(text).segments).toBeLessThanOrEqual(2);
  });

  it('a long brand makes room by a leaner wording, and the opt-out still says Reply START', () => {
    const brand = 'Экспресс '.repeat(7).trim();
    const rich = `${brand}: You will get no more texts from us about ${REF}. Reply START to resume.`;
    expect(smsSegments(rich).segments).toBeGreaterThan(2);
    const text = smsAnswerText('opted_out', brand, REF)!;
    expect(text).toBe(`${brand}: No more texts from us. Reply START to resume.`);
    expect(smsSegments(text).segments).toBeLessThanOrEqual(2);
  });

  it('a brand too long for any wording gets no answer rather than a third segment', () => {
    expect(smsAnswerText('rating', 'B'.repeat(320), REF)).toBeUndefined();
  });

  it('typographic quotes in the brand become their GSM-7 look-alikes, so the text stays GSM-7', () => {
    const text = smsAnswerText('rating', 'Smith’s “Best”', REF)!;
    expect(text.startsWith(`Smith's "Best": `)).toBe(true);
    expect(smsSegments(text).encoding).toBe('GSM-7');
  });

  it('TwiML escapes &, <, >, and both quotes, and drops control characters XML cannot carry', () => {
    expect(twimlOf(`A & B <x> "q" 'a'\u0007`)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>A &amp; B &lt;x&gt; &quot;q&quot; &apos;a&apos;</Message></Response>');
  });

  it('no text means an empty <Response/>', () => {
    expect(twimlOf(undefined)).toBe(EMPTY_TWIML);
    expect(twimlOf('')).toBe(EMPTY_TWIML);
  });
});
