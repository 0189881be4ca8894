import { describe, expect, it } from 'vitest';
import { isCourtesy, wantsToLeaveQueue } from '../../services/handoff/customerWords';

describe('what a waiting customer says to leave the queue', () => {
  it.each(['cancel', 'Cancel.', 'ok cancel', 'cancel please', 'never mind, I found it', "actually I don't need help anymore", 'nvm', 'forget it', 'stop waiting', 'no need, sorted it myself', 'I found it, thanks', "it's fine now"])(
    '"%s" leaves the queue',
    (words) => expect(wantsToLeaveQueue(words)).toBe(true),
  );

  it.each(["I want to cancel my order, it's late", 'cancel my order', 'can I cancel my subscription', 'hello?', 'all good', 'ok', 'my order AB-2024117 is missing'])(
    '"%s" does not',
    (words) => expect(wantsToLeaveQueue(words)).toBe(false),
  );
});

describe('courtesy after a person handed back', () => {
  it.each(['thanks Asha!', 'ok', 'bye', 'Thank you so much!', 'cheers Ben, bye', 'great thanks'])('"%s" is courtesy', (words) => expect(isCourtesy(words)).toBe(true));
  it.each(['thanks but my order is still missing', 'status', 'agent', '5', 'hi asha', ''])('"%s" is not', (words) => expect(isCourtesy(words)).toBe(false));
});
