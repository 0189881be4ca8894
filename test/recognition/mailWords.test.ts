import { describe, expect, it } from 'vitest';
import { requestedEmailChange } from '../../services/recognition/contactChange';
import { looksLikeAutoReplyBody } from '../../services/recognition/mailText';
import { refInSubject, replySubject } from '../../bots/mailSubject';

describe('reading a vacation responder by its words', () => {
  it.each([
    'I am currently out of the office until 10 March with limited access to email. I will reply when I return.',
    "Hi, I'm away until Monday 9 March. For urgent matters please contact my colleague.",
    "Thank you for your email. I'm on annual leave and will get back to you when I'm back.",
    'Vielen Dank für Ihre Nachricht. Ich bin bis zum 14. März nicht im Büro. In dringenden Fällen wenden Sie sich bitte an meine Kollegin.',
    'Gracias por su mensaje. Estoy fuera de la oficina hasta el 12 de marzo.',
    'Je suis absente jusqu\'au 12 mars. Je vous répondrai à mon retour.',
  ])('"%s" is a responder', (body) => {
    expect(looksLikeAutoReplyBody(body)).toBe(true);
  });

  it.each([
    'I was away when the parcel came, so my neighbour took it in. The kettle still leaks.',
    "I'm away until Monday, please send the replacement after that.",
    'I am out of the office today but my order AB-2024117 has still not arrived.',
    'Please call me back, the kettle leaks.',
    'I will be travelling until Friday; can the courier leave the package with a neighbour?',
  ])('"%s" is a customer', (body) => {
    expect(looksLikeAutoReplyBody(body)).toBe(false);
  });
});

describe('a request to use another e-mail address', () => {
  it.each([
    ['Please use my work address instead: jane@work.example', 'jane@work.example'],
    ['Could you contact me at Jane.Doe@Work.example from now on?', 'jane.doe@work.example'],
    ['My new e-mail address is jane@new.example.', 'jane@new.example'],
    ['I changed my email.\nPlease use jane@new.example', 'jane@new.example'],
  ])('"%s" asks for %s', (words, email) => {
    expect(requestedEmailChange(words)).toBe(email);
  });

  it.each([
    'I also wrote to orders@acme.example about it last week.',
    "Please don't use jane@old.example instead of this one.",
    'Use a@example.com or b@example.com instead, whichever.',
    'The courier said to write to claims@courier.example.',
  ])('"%s" asks for no change', (words) => {
    expect(requestedEmailChange(words)).toBeUndefined();
  });
});

describe('the reference in a mail subject', () => {
  it('when a reply subject is written, then prefixes and earlier references go and ours is appended once', () => {
    expect(replySubject('RE: Fwd: Leaking kettle [CS-7K3M9Q]', 'CS-7K3M9Q', 'CS')).toBe('Re: Leaking kettle [CS-7K3M9Q]');
    expect(replySubject('Sparking toaster [CS-7K3M9Q]', 'CS-AAAAAA', 'CS')).toBe('Re: Sparking toaster [CS-AAAAAA]');
    expect(replySubject('', 'CS-7K3M9Q', 'CS')).toBe('Your ticket [CS-7K3M9Q]');
    expect(replySubject('Leaking kettle', undefined, 'CS')).toBeUndefined();
  });

  it('when a subject carries a bracketed reference, then it is read; a bare mention is not', () => {
    expect(refInSubject('Re: Leaking kettle [cs-7k3m9q]', 'CS')).toBe('CS-7K3M9Q');
    expect(refInSubject('About CS-7K3M9Q', 'CS')).toBeUndefined();
  });
});
