/** Collects how to reach the customer outside the chat: e-mail and/or phone, preference, consent. */
import { MessageFactory } from 'botbuilder';
import {
  ComponentDialog,
  ConfirmPrompt,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { maskEmail, maskPhone, recognizeContacts } from '../services/recognition/contact';
import type { ContactDetails, ContactMethod } from '../services/tickets/types';
import type { DialogServices } from './dialogServices';
import { say } from './messages';

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

const HERE_ONLY = /\b(here( only)?|this chat|chat only|no thanks|none|skip|rather not|don t|dont)\b|^\s*(no|nope|nah)\b/i;
const PREFERRED: Record<string, ContactMethod> = { 'e-mail': 'email', email: 'email', mail: 'email', phone: 'phone', call: 'phone', sms: 'phone', text: 'phone', here: 'dm', chat: 'dm' };

export class ContactDetailsDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(CONTACT_DETAILS_DIALOG);
    this.addDialog(new TextPrompt(CONTACT_PROMPT, (prompt) => this.validateContact(prompt)))
      .addDialog(new TextPrompt(PREFERRED_PROMPT, async (prompt) => this.preferredFrom(prompt.recognized.value) !== undefined))
      .addDialog(new ConfirmPrompt(CONSENT_PROMPT))
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
    const { emails, phones } = recognizeContacts(answer, this.services.phoneRegion);
    if (emails.length === 0 && phones.length === 0) {
      values(step).contact = { ...values(step).contact, preferred: 'dm', consent: false };
      return step.endDialog(values(step).contact);
    }
    if (emails[0]) values(step).contact.email = emails[0];
    if (phones[0]) values(step).contact.phone = phones[0].e164;
    // New details need fresh consent and preference.
    delete values(step).contact.consent;
    delete values(step).contact.preferred;
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
    const { emails, phones } = recognizeContacts(text, this.services.phoneRegion);
    return emails.length > 0 || phones.length > 0 || HERE_ONLY.test(text.toLowerCase().replace(/'/g, ' '));
  }

  private preferredFrom(text: string | undefined): ContactMethod | undefined {
    const words = (text ?? '').toLowerCase().match(/[a-z-]+/g) ?? [];
    for (const word of words) if (PREFERRED[word]) return PREFERRED[word];
    return undefined;
  }
}
