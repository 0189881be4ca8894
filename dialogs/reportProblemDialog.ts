/**
 * Report a problem: order number → contact details → description → confirm → ticket.
 * Whatever is already known (first message, public post) is skipped and shown in the summary instead;
 * a correction re-asks only that field and comes back to the summary.
 */
import type { TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  ConfirmPrompt,
  type DialogTurnResult,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { maskEmail, maskPhone, recognizeContacts } from '../services/recognition/contact';
import { CONTACT_DETAILS_DIALOG, ContactDetailsDialog, type ContactDetailsOptions } from './contactDetailsDialog';
import type { DialogServices, ReportDraft } from './dialogServices';
import { correctionFromText, draftFromText, mergeDrafts } from './draftFromText';
import { asksForChange, type CorrectableField, detectCorrection, isNo, isYes, readYesNo, saysNoneOrSkip } from './intents';
import { say } from './messages';
import { addToActiveTicketForOrder, openTicket, requestHuman } from './ticketActions';
import { customerRegionOf } from './turnFacts';

export const REPORT_PROBLEM_DIALOG = 'reportProblemDialog';
const WATERFALL = 'reportProblemWaterfall';
const ORDER_PROMPT = 'orderNumberPrompt';
const OFFER_PERSON_PROMPT = 'offerPersonPrompt';
const DESCRIPTION_PROMPT = 'descriptionPrompt';
const CONFIRM_PROMPT = 'confirmReportPrompt';

/** Order number attempts before offering a person instead of asking again. */
export const MAX_ORDER_ATTEMPTS = 3;
const SKIPPED = '(skipped)';
const GAVE_UP = '(gave up)';

export interface ReportProblemOptions {
  draft?: ReportDraft;
  /** Set when coming back from a correction: the field to ask again. */
  correct?: CorrectableField;
  /** The customer chose to go on without an order number. */
  orderSkipped?: boolean;
  /** Asked instead of the summary when the last answer to it was "no" or unclear. */
  confirmPrompt?: string;
}

interface Values {
  draft: ReportDraft;
  orderSkipped: boolean;
  correct?: CorrectableField;
  confirmPrompt?: string;
}

type Step = WaterfallStepContext<ReportProblemOptions>;
/** The waterfall's per-run values, typed (the SDK types them as a plain object). */
const values = (step: Step): Values => step.values as Values;

export class ReportProblemDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(REPORT_PROBLEM_DIALOG);
    this.addDialog(new TextPrompt(ORDER_PROMPT, (prompt) => this.validateOrderNumber(prompt)))
      .addDialog(new ConfirmPrompt(OFFER_PERSON_PROMPT, readYesNo))
      .addDialog(new TextPrompt(DESCRIPTION_PROMPT, async (prompt) => (prompt.recognized.value ?? '').trim().length > 0))
      .addDialog(new TextPrompt(CONFIRM_PROMPT))
      .addDialog(new ContactDetailsDialog(services))
      .addDialog(
        new WaterfallDialog<ReportProblemOptions>(WATERFALL, [
          (step) => this.orderNumberStep(step),
          (step) => this.afterOrderNumberStep(step),
          (step) => this.offerPersonAnswerStep(step),
          (step) => this.contactStep(step),
          (step) => this.descriptionStep(step),
          (step) => this.confirmStep(step),
          (step) => this.decideStep(step),
        ]),
      );
    this.initialDialogId = WATERFALL;
  }

  private async orderNumberStep(step: Step): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as ReportProblemOptions;
    values(step).draft = { ...options.draft };
    values(step).orderSkipped = options.orderSkipped ?? false;
    values(step).correct = options.correct;
    values(step).confirmPrompt = options.confirmPrompt;
    if (options.correct === 'orderNumber') {
      delete values(step).draft.orderNumber;
      values(step).orderSkipped = false;
    }
    // "priya@example.com or 07911 123456" in the message that began the report, with no country to read the phone in.
    if (values(step).draft.phoneNotPlaced) {
      delete values(step).draft.phoneNotPlaced;
      await step.context.sendActivity(say.phoneNotReadKeptEmail);
    }
    await this.saveDraft(step);
    if (values(step).draft.orderNumber || values(step).orderSkipped) return step.next();
    const example = this.services.orderNumbers.example;
    return step.prompt(ORDER_PROMPT, { prompt: say.askOrderNumber(example), retryPrompt: say.retryOrderNumber(example) });
  }

  private async afterOrderNumberStep(step: Step): Promise<DialogTurnResult> {
    const answer = step.result as string | undefined;
    if (answer === undefined) return step.next();
    if (answer === SKIPPED) {
      values(step).orderSkipped = true;
      return step.next();
    }
    if (answer === GAVE_UP) return step.prompt(OFFER_PERSON_PROMPT, { prompt: say.offerPersonForOrder });
    // The answer may carry more than the number ("AB-2024117, email me at …"): keep what it tells us.
    const draft = draftFromText(answer, this.services, customerRegionOf(step.context));
    // Contact details instead of a number: keep them (they are not asked again) and ask for the number once more.
    if (!draft.orderNumber && draft.contact) {
      const { confirmPrompt } = values(step);
      // New details need fresh consent and preference, which the contact step then asks for.
      const { consent: _consent, preferred: _preferred, ...earlier } = values(step).draft.contact ?? {};
      const contact = { ...earlier, ...draft.contact };
      await step.context.sendActivity(say.contactNotedAskOrderAgain);
      return this.runAgain(step, { draft: { ...values(step).draft, contact }, orderSkipped: false, ...(confirmPrompt && { confirmPrompt }) });
    }
    values(step).draft = mergeDrafts({ ...values(step).draft, orderNumber: draft.orderNumber }, { contact: draft.contact });
    await this.saveDraft(step);
    return step.next();
  }

  private async offerPersonAnswerStep(step: Step): Promise<DialogTurnResult> {
    if (step.result === true) {
      await requestHuman(step.context, this.services, `could not give a valid order number after ${MAX_ORDER_ATTEMPTS} attempts`);
      return step.endDialog();
    }
    if (step.result === false) {
      values(step).orderSkipped = true;
      await step.context.sendActivity(say.continuingWithoutOrder);
    }
    return step.next();
  }

  private async contactStep(step: Step): Promise<DialogTurnResult> {
    const { correct, draft } = values(step);
    const needsContact = !draft.contact || draft.contact.consent === undefined || correct === 'email' || correct === 'phone' || correct === 'contact';
    if (!needsContact) return step.next();
    const options: ContactDetailsOptions = {
      ...(draft.contact && correct !== 'contact' && { contact: draft.contact }),
      ...((correct === 'email' || correct === 'phone') && { ask: correct }),
    };
    return step.beginDialog(CONTACT_DETAILS_DIALOG, options);
  }

  private async descriptionStep(step: Step): Promise<DialogTurnResult> {
    if (step.result && typeof step.result === 'object') values(step).draft.contact = step.result;
    await this.saveDraft(step);
    if (values(step).correct === 'description') delete values(step).draft.description;
    if (values(step).draft.description) return step.next();
    return step.prompt(DESCRIPTION_PROMPT, { prompt: say.askDescription, retryPrompt: say.retryDescription });
  }

  private async confirmStep(step: Step): Promise<DialogTurnResult> {
    if (typeof step.result === 'string') values(step).draft.description = step.result.trim();
    await this.saveDraft(step);
    return step.prompt(CONFIRM_PROMPT, { prompt: values(step).confirmPrompt ?? say.summary(this.summaryLines(values(step))) });
  }

  private async decideStep(step: Step): Promise<DialogTurnResult> {
    const answer = (step.result as string | undefined) ?? '';
    const { draft, orderSkipped } = values(step);
    // "yes, email is fine" confirms; "yes but change my email" corrects.
    const correction = isYes(answer) && !asksForChange(answer) ? undefined : (detectCorrection(answer) ?? whichNumber(answer, draft));
    // A new value typed straight into the summary ("it's priya@example.com") replaces the old one.
    const typed = correctionFromText(answer, this.services, customerRegionOf(step.context));
    if (typed.orderNumber || typed.contact) {
      const next: ReportDraft = { ...draft, contact: { ...draft.contact } };
      if (typed.orderNumber) next.orderNumber = typed.orderNumber;
      if (typed.contact?.email) next.contact!.email = typed.contact.email;
      if (typed.contact?.phone) next.contact!.phone = typed.contact.phone;
      // New contact details need consent (and, from "here only", a preference) again; the contact step asks only that.
      if (typed.contact) {
        delete next.contact!.consent;
        delete next.contact!.preferred;
      }
      return this.runAgain(step, { draft: next, orderSkipped });
    }
    if (correction) return this.runAgain(step, { draft, orderSkipped, correct: correction });
    if (isYes(answer)) {
      const existing = await addToActiveTicketForOrder(step.context, this.services, draft);
      if (existing) {
        await step.context.sendActivity(say.addedToTicket(existing.ref, draft.orderNumber!));
        return step.endDialog(existing.ref);
      }
      const ticket = await openTicket(step.context, this.services, draft);
      await step.context.sendActivity(say.ticketOpened(ticket.ref, this.services.replyBy(ticket.createdAt, ticket.sla.firstResponseDueAt)));
      return step.endDialog(ticket.ref);
    }
    const confirmPrompt = isNo(answer) ? say.askWhatToChange : say.didNotCatchConfirm;
    return this.runAgain(step, { draft, orderSkipped, confirmPrompt });
  }

  /** Restarts our own waterfall: replacing with REPORT_PROBLEM_DIALOG nested us in ourselves, which reprompt ("help") cannot find. */
  private runAgain(step: Step, options: ReportProblemOptions): Promise<DialogTurnResult> {
    return step.replaceDialog(WATERFALL, options);
  }

  private summaryLines({ draft, orderSkipped }: Values): string[] {
    const contact = draft.contact;
    const reach = [contact?.email && `e-mail ${maskEmail(contact.email)}`, contact?.phone && `phone ${maskPhone(contact.phone)}`].filter(Boolean).join(', ');
    // Details the customer said we may not use are not a way to reach them: say so, not "preferred".
    const contactLine =
      reach && contact?.consent === false
        ? `here in this chat only (you asked us not to use your ${reach})`
        : `${reach || 'here in this chat only'}${contact?.preferred && reach ? ` (preferred: ${contact.preferred === 'dm' ? 'this chat' : contact.preferred})` : ''}`;
    // "orders AB-1 and AB-2 both arrived damaged": one order is the ticket's, the others must not look dropped.
    const alsoMentioned = draft.orderNumber ? this.services.orderNumbers.findAll(draft.description ?? '').filter((order) => order !== draft.orderNumber) : [];
    const orderLine = `${draft.orderNumber ?? (orderSkipped ? 'not given' : 'none')}${alsoMentioned.length > 0 ? ` (also mentioned: ${alsoMentioned.join(', ')}, kept in your description for the team)` : ''}`;
    return [
      `Order number: ${orderLine}`,
      `Contact: ${contactLine}`,
      `What happened: "${truncate(draft.description ?? '', 300)}"`,
    ];
  }

  private async validateOrderNumber(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const text = prompt.recognized.value ?? '';
    if (saysNoneOrSkip(text)) {
      prompt.recognized.value = SKIPPED;
      return true;
    }
    if (this.services.orderNumbers.find(text)) return true;
    // An e-mail or phone given here is kept by the next step rather than dropped with a retry.
    const { emails, phones } = recognizeContacts(text, this.services.phoneRegion, [], customerRegionOf(prompt.context));
    if (emails.length > 0 || phones.length > 0) return true;
    if (prompt.attemptCount >= MAX_ORDER_ATTEMPTS) {
      prompt.recognized.value = GAVE_UP;
      return true;
    }
    return false;
  }

  /** Mirrors the draft into conversation state so "agent" mid-flow opens a ticket with what we have. */
  private async saveDraft(step: Step): Promise<void> {
    const data = await this.services.conversationData.get(step.context as TurnContext, {});
    data.draft = values(step).draft;
  }
}

/** "change my number", "wrong number": the phone when we have one (that is what people call their number), else the order number. */
function whichNumber(answer: string, draft: ReportDraft): CorrectableField | undefined {
  if (!/\bnumber\b/i.test(answer) || !asksForChange(answer)) return undefined;
  return draft.contact?.phone ? 'phone' : 'orderNumber';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
