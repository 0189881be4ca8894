/**
 * The conversation's entry: works out what the customer wants from their first words (or the public
 * post that brought them) and routes to reporting a problem, a status answer, or a person.
 */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { type DialogTurnResult, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogServices, ReportDraft } from './dialogServices';
import { draftFromText, looksLikeDescription, mergeDrafts, tellsMoreThanDetails } from './draftFromText';
import { detectInterruption, detectMenuChoice, genericHelpRequest, isGreetingOnly, isProblemWord, isShortStory } from './intents';
import { InterruptibleDialog } from './interruptibleDialog';
import { say } from './messages';
import { REPORT_PROBLEM_DIALOG, ReportProblemDialog, type ReportProblemOptions } from './reportProblemDialog';
import { currentTicket, replyWithStatus, requestHuman, wantsStatus } from './ticketActions';
import { customerOf, customerRegionOf } from './turnFacts';
import { WITHDRAW_TICKET_DIALOG } from './withdrawTicketDialog';
import { saysProblemWentAway } from '../services/recognition/withdrawal';
import { withoutLeadingMentions } from '../services/social/messageParts';

export const MAIN_DIALOG = 'mainDialog';
const WATERFALL = 'mainWaterfall';
const MENU_PROMPT = 'menuPrompt';
/** Set when the first step asked the menu question, so the second knows its result is the answer. */
interface MenuValues {
  menuAsked?: boolean;
}
const MENU_CHOICES = ['Report a problem', 'Check a ticket\'s status', 'Talk to a person'];

/** turnState key: the first message's draft, read once by `opening` and reused by routeStep in the same turn. */
const FIRST_MESSAGE_DRAFT = Symbol('firstMessageDraft');

/**
 * How a conversation's first message is greeted: with the menu when the greeting is the whole answer ("hi");
 * sorry-and-details for a problem; else just who we are, as the dialog's own next message (a question, or the
 * menu with its buttons) says what comes next: one menu per turn, never two.
 */
export type Opening = 'menu' | 'problem' | 'request';

export class MainDialog extends InterruptibleDialog {
  constructor(services: DialogServices) {
    super(MAIN_DIALOG, services);
    this.addDialog(new TextPrompt(MENU_PROMPT))
      .addDialog(new ReportProblemDialog(services))
      .addDialog(new WaterfallDialog(WATERFALL, [(step) => this.routeStep(step), (step) => this.menuAnswerStep(step), (step) => this.finalStep(step)]));
    this.initialDialogId = WATERFALL;
  }

  /** Mirrors routeStep's choice for a first message, so the greeting fits what the dialog will do next. */
  async opening(context: TurnContext): Promise<Opening> {
    const text = context.activity.text?.trim() ?? '';
    if (!text || isGreetingOnly(text)) return 'menu';
    const interruption = detectInterruption(text, this.services.ticketPrefix);
    if (interruption === 'status') return (await wantsStatus(context, this.services)) ? 'request' : 'problem';
    if (interruption === 'human') return 'request';
    if (!interruption && saysProblemWentAway(text, this.services.ticketPrefix)) return 'request';
    const choice = detectMenuChoice(text);
    if (choice) return choice === 'report' ? 'problem' : 'request';
    const draft = withShortStory(text, draftFromText(text, this.services, customerRegionOf(context)));
    // routeStep reads the same message this turn; the recognizers cost about a millisecond, so once is enough.
    context.turnState.set(FIRST_MESSAGE_DRAFT, draft);
    if (draft.description || isProblemWord(text)) return 'problem';
    return 'request';
  }

  protected restartDialogId(): string {
    return WATERFALL;
  }

  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = step.context.activity.text?.trim() ?? '';
    const data = await this.services.conversationData.get(step.context, {});
    // Came from a public post: the story is known, so go straight to confirming it.
    if (data.publicPost && !data.ticketRef) {
      // An order number or contact details the customer already posted are confirmed in the summary, not asked again.
      const posted = draftFromText(data.publicPost.text, this.services, customerRegionOf(step.context));
      // Leading "@AcmeSupport" only addresses the post; the ticket's publicPost keeps the words verbatim.
      const description = withoutLeadingMentions(data.publicPost.text);
      const fromPost: ReportDraft = { ...(description && { description }), ...(posted.orderNumber && { orderNumber: posted.orderNumber }), ...(posted.contact && { contact: posted.contact }) };
      return this.report(step, mergeDrafts(text && !isGreetingOnly(text) ? draftFromText(text, this.services, customerRegionOf(step.context)) : {}, fromPost));
    }
    const interruption = detectInterruption(text, this.services.ticketPrefix);
    // "never mind, it arrived after all": offer to close their ticket (it says so when there is none to close).
    if (!interruption && saysProblemWentAway(text, this.services.ticketPrefix)) return step.beginDialog(WITHDRAW_TICKET_DIALOG);
    if (interruption === 'help') await step.context.sendActivity(say.help(this.services.ticketPrefix));
    // "cancel" / "start over" with nothing under way (after a ticket, after a cancel): answer the words, not with a bare menu.
    if (interruption === 'cancel' && !step.context.responded) {
      const ticket = await currentTicket(step.context, this.services);
      await step.context.sendActivity(say.nothingToCancel(ticket?.ref));
      return step.endDialog();
    }
    if (interruption === 'restart' && !step.context.responded) await step.context.sendActivity(say.restarting);
    // "where is my order" with no ticket to look up is the problem itself: report it, in their words.
    if (interruption === 'status' && !(await wantsStatus(step.context, this.services))) return this.report(step, { ...draftFromText(text, this.services, customerRegionOf(step.context)), description: text });
    if (interruption === 'human' || interruption === 'status') return this.routeChoice(step, interruption);
    const choice = detectMenuChoice(text);
    if (choice) return this.routeChoice(step, choice);
    const draft: ReportDraft = text
      ? (step.context.turnState.get(FIRST_MESSAGE_DRAFT) ?? withShortStory(text, draftFromText(text, this.services, customerRegionOf(step.context))))
      : {};
    // "I need help with my order" is about an order but not yet what happened: the report asks for that.
    // "broken" alone says something went wrong but not what: the report asks for the order, then the story.
    if (draft.orderNumber || draft.description || genericHelpRequest(text) === 'order' || isProblemWord(text)) return this.report(step, draft);
    (step.values as MenuValues).menuAsked = true;
    return step.prompt(MENU_PROMPT, { prompt: MessageFactory.suggestedActions(MENU_CHOICES, say.menu) });
  }

  private async menuAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // A report begun by the first step ends here too, with its ticket ref: that is not a menu answer.
    if (!(step.values as MenuValues).menuAsked || typeof step.result !== 'string') return step.next(step.result);
    const text = step.result.trim();
    const choice = detectMenuChoice(text);
    if (choice) return this.routeChoice(step, choice);
    const draft = draftFromText(text, this.services, customerRegionOf(step.context));
    // After the menu, anything that is not a choice or only details ("order AB-2024117") is the customer telling us what happened.
    const saysWhat = !genericHelpRequest(text) && tellsMoreThanDetails(text, this.services, customerRegionOf(step.context));
    if (!draft.description && !isGreetingOnly(text) && text.split(/\s+/).length >= 2 && saysWhat) {
      draft.description = text;
    }
    if (draft.orderNumber || draft.description || looksLikeDescription(text)) return this.report(step, draft);
    return step.replaceDialog(WATERFALL);
  }

  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result);
  }

  private async report(step: WaterfallStepContext, draft: ReportDraft): Promise<DialogTurnResult> {
    // A problem told after the menu, or in a later report, gets the apology a first message's greeting gives.
    if (!step.context.responded && (draft.description || isProblemWord(step.context.activity.text ?? ''))) await step.context.sendActivity(say.sorryToHear);
    const options: ReportProblemOptions = { draft: await this.withEarlierContact(step.context, draft) };
    return step.beginDialog(REPORT_PROBLEM_DIALOG, options);
  }

  /**
   * A second report in the same chat: the e-mail/phone given for the first ticket is offered again instead of asked
   * for. Consent was "about this ticket only", so it is asked afresh.
   */
  private async withEarlierContact(context: TurnContext, draft: ReportDraft): Promise<ReportDraft> {
    if (draft.contact?.email || draft.contact?.phone) return draft;
    const { ticketRef } = await this.services.conversationData.get(context, {});
    const earlier = ticketRef ? await this.services.tickets.getForCustomer(ticketRef, customerOf(context)) : null;
    const contact = earlier?.contact;
    if (!contact?.email && !contact?.phone) return draft;
    return { ...draft, contact: { ...(contact.email && { email: contact.email }), ...(contact.phone && { phone: contact.phone }), preferred: contact.preferred } };
  }

  private async routeChoice(step: WaterfallStepContext, choice: 'report' | 'status' | 'human'): Promise<DialogTurnResult> {
    if (choice === 'report') return this.report(step, {});
    if (choice === 'status') await replyWithStatus(step.context, this.services);
    else await requestHuman(step.context, this.services, 'the customer asked for a person');
    return step.endDialog();
  }
}

/** A first message such as "never arrived" is the story, though short: the report takes it as the description. */
function withShortStory(text: string, draft: ReportDraft): ReportDraft {
  return !draft.description && isShortStory(text) ? { ...draft, description: text.trim() } : draft;
}
