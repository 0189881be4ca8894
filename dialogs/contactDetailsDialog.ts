/** Collects how to reach the customer outside the chat: e-mail and/or phone, preference, consent. */
import { MessageFactory, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  ConfirmPrompt,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { maskEmail, maskPhone, recognizeContacts, type RecognizedContacts } from '../services/recognition/contact';
import { normaliseWords } from '../services/recognition/words';
import type { ContactDetails, ContactMethod } from '../services/tickets/types';
import type { DialogServices } from './dialogServices';
import { readYesNo } from './intents';
import { say } from './messages';
import { digitsOutsideOrderNumbers, MIN_PHONE_DIGITS, phoneLeftOut } from './draftFromText';
import { customerRegionOf } from './turnFacts';

export const CONTACT_DETAILS_DIALOG = 'contactDetailsDialog';
const WATERFALL = 'contactDetailsWaterfall';
const CONTACT_PROMPT = 'contactPrompt';
const PREFERRED_PROMPT = 'preferredContactPrompt';
const CONSENT_PROMPT = 'contactConsentPrompt';

export interface ContactDetailsOptions {
  contact?: Partial<ContactDetails>;
  /** Ask again for one field only (a correction from the summary). */
  ask?: 'email' | 'phone';
}

interface Values {
  contact: Partial<ContactDetails>;
}

type Step = WaterfallStepContext<ContactDetailsOptions>;
/** The waterfall's per-run values, typed (the SDK types them as a plain object). */
const values = (step: Step): Values => step.values as Values;

/** Unrecognised answers to the contact question before carrying on in this chat instead of asking again. */
export const MAX_CONTACT_ATTEMPTS = 3;
const GAVE_UP = '(gave up)';
/** "email me", "by phone please", "text me": how to reach them, but not yet where. */
const METHOD_ONLY =
  /^(yes |yeah |sure |ok |okay )?(please |just )?(by |via |use |on )?(?<method>e-?mail|mail|phone|call|ring|text|sms|whatsapp)( me)?( (is|would be) (fine|best|good|better))?( please| pls| thanks)?$/;
const HERE_ONLY = /\b(here( only)?|this chat|chat only|no thanks|none|skip|rather not|don t|dont)\b|^\s*(no|nope|nah)\b/i;
const NO_PREFERENCE = /\b(either|both|any|anything|whatever|whichever|don t mind|dont mind|do not mind|doesn t matter|doesnt matter|no preference|up to you|you choose|all good)\b/;
const MAX_PREFERRED_ATTEMPTS = 2;
const PREFERRED: Record<string, ContactMethod> = { 'e-mail': 'email', email: 'email', mail: 'email', phone: 'phone', call: 'phone', sms: 'phone', text: 'phone', here: 'dm', chat: 'dm' };

export class ContactDetailsDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(CONTACT_DETAILS_DIALOG);
    this.addDialog(new TextPrompt(CONTACT_PROMPT, (prompt) => this.validateContact(prompt)))
      .addDialog(new TextPrompt(PREFERRED_PROMPT, async (prompt) => this.validatePreferred(prompt)))
      .addDialog(new ConfirmPrompt(CONSENT_PROMPT, readYesNo))
      .addDialog(
        new WaterfallDialog<ContactDetailsOptions>(WATERFALL, [
          (step) => this.askStep(step),
          (step) => this.collectStep(step),
          (step) => this.preferredStep(step),
          (step) => this.consentStep(step),
          (step) => this.finishStep(step),
        ]),
      );
    this.initialDialogId = WATERFALL;
  }

  private async askStep(step: Step) {
    const options = (step.options ?? {}) as ContactDetailsOptions;
    values(step).contact = { ...options.contact };
    if (options.ask === 'email') delete values(step).contact.email;
    if (options.ask === 'phone') delete values(step).contact.phone;
    const { email, phone } = values(step).contact;
    if (!options.ask && (email || phone)) return step.next();
    const question =
      options.ask === 'email' ? 'What e-mail address should we use?' : options.ask === 'phone' ? 'What phone number should we use?' : say.askContact;
    return step.prompt(CONTACT_PROMPT, { prompt: question, retryPrompt: say.retryContact });
  }

  private async collectStep(step: Step) {
    const answer = step.result as string | undefined;
    if (answer === undefined) return step.next();
    const { emails, phones } = this.recognize(answer, step.context);
    const method = emails.length === 0 && phones.length === 0 ? methodOnly(answer) : undefined;
    // "email me": ask for the address itself rather than saying we found none.
    if (method) return step.replaceDialog(WATERFALL, { contact: values(step).contact, ask: method } satisfies ContactDetailsOptions);
    if (answer === GAVE_UP) await step.context.sendActivity(say.contactKeptToChat);
    if (emails.length === 0 && phones.length === 0) {
      values(step).contact = { ...values(step).contact, preferred: 'dm', consent: false };
      return step.endDialog(values(step).contact);
    }
    if (emails[0]) values(step).contact.email = emails[0];
    if (phones[0]) values(step).contact.phone = phones[0].e164;
    // "priya@example.com or 07911 123456" in a US deployment: the e-mail is kept, and the customer is told the phone was not.
    else if (emails[0] && phoneLeftOut(answer, emails[0], this.services)) {
      await step.context.sendActivity(say.phoneNotReadKeptEmail);
    }
    // New details need fresh consent; the preference too, unless only one of them was being replaced.
    delete values(step).contact.consent;
    if (!(step.options as ContactDetailsOptions | undefined)?.ask) delete values(step).contact.preferred;
    // Kept in the draft at once, so "agent" at the next question opens a ticket that knows them.
    const data = await this.services.conversationData.get(step.context, {});
    if (data.draft) data.draft.contact = { ...values(step).contact };
    return step.next();
  }

  private async preferredStep(step: Step) {
    const { email, phone, preferred } = values(step).contact;
    if (preferred || !(email && phone)) return step.next();
    return step.prompt(PREFERRED_PROMPT, {
      prompt: MessageFactory.suggestedActions(['E-mail', 'Phone', 'Here in this chat'], say.askPreferred),
      retryPrompt: MessageFactory.suggestedActions(['E-mail', 'Phone', 'Here in this chat'], 'Please pick e-mail, phone, or here in this chat.'),
    });
  }

  private async consentStep(step: Step) {
    const contact = values(step).contact;
    if (typeof step.result === 'string') contact.preferred = this.preferredFrom(step.result);
    contact.preferred ??= contact.email ? 'email' : contact.phone ? 'phone' : 'dm';
    if (contact.consent !== undefined) return step.next(contact.consent);
    const where = [contact.email && maskEmail(contact.email), contact.phone && maskPhone(contact.phone)].filter(Boolean).join(' or ');
    return step.prompt(CONSENT_PROMPT, {
      prompt: say.askConsent(where),
      retryPrompt: 'Please answer yes or no: may we contact you there about this ticket?',
    });
  }

  private async finishStep(step: Step) {
    values(step).contact.consent = step.result === true;
    return step.endDialog(values(step).contact);
  }

  private async validateContact(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const text = prompt.recognized.value ?? '';
    const { emails, phones } = this.recognize(text, prompt.context);
    if (emails.length > 0 || phones.length > 0 || HERE_ONLY.test(text.toLowerCase().replace(/'/g, ' ')) || methodOnly(text)) return true;
    // Never a loop: after a few misses the chat itself is how we reach them (the summary can still change it).
    if (prompt.attemptCount >= MAX_CONTACT_ATTEMPTS) {
      prompt.recognized.value = GAVE_UP;
      return true;
    }
    // A local number from another country ("07911 123456" in a US deployment): say what is missing, not "no phone found".
    if (digitsOutsideOrderNumbers(text, this.services).length >= MIN_PHONE_DIGITS) await prompt.context.sendActivity(say.retryPhoneCountryCode);
    return false;
  }

  /** Asked for an address, "jane at example dot com" is one written to dodge spam bots. */
  private recognize(text: string, context: TurnContext): RecognizedContacts {
    const found = recognizeContacts(text, this.services.phoneRegion, [], customerRegionOf(context));
    const spelledOut = found.emails.length === 0 ? spelledOutEmail(text) : undefined;
    return spelledOut ? { ...found, emails: recognizeContacts(spelledOut, this.services.phoneRegion).emails } : found;
  }

  /** "either is fine" has no preference (e-mail is used first); after a second miss the same, rather than asking forever. */
  private async validatePreferred(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const text = prompt.recognized.value;
    return this.preferredFrom(text) !== undefined || NO_PREFERENCE.test(normaliseWords(text ?? '')) || prompt.attemptCount >= MAX_PREFERRED_ATTEMPTS;
  }

  private preferredFrom(text: string | undefined): ContactMethod | undefined {
    const words = (text ?? '').toLowerCase().match(/[a-z-]+/g) ?? [];
    for (const word of words) if (PREFERRED[word]) return PREFERRED[word];
    return undefined;
  }
}

/** The method named without an address, or undefined; "don't email me" never gets here (HERE_ONLY is tested first). */
function methodOnly(text: string): 'email' | 'phone' | undefined {
  const match = METHOD_ONLY.exec(normaliseWords(text));
  if (!match) return undefined;
  return /^(e-?mail|mail)$/.test(match.groups?.method ?? '') ? 'email' : 'phone';
}

const AT = String.raw`(?:\s*(?:\(at\)|\[at\]|\{at\})\s*|\s+at\s+)`;
const DOT = String.raw`(?:\s*(?:\(dot\)|\[dot\]|\{dot\})\s*|\s+dot\s+|\.)`;
const SPELLED_OUT_EMAIL = new RegExp(String.raw`([\p{L}\p{N}._%+-]+)${AT}([\p{L}\p{N}-]+(?:${DOT}[\p{L}\p{N}-]+)+)`, 'iu');

/** "jane at example dot com", "jane [at] example [dot] co [dot] uk" → "jane@example.co.uk"; undefined when there is none. */
function spelledOutEmail(text: string): string | undefined {
  const match = SPELLED_OUT_EMAIL.exec(` ${text} `);
  if (!match) return undefined;
  return `${match[1]}@${match[2].replace(new RegExp(DOT, 'giu'), '.')}`;
}
