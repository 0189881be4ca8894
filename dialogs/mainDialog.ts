/**
 * The conversation's entry: works out what the customer wants from their first words (or the public
 * post that brought them) and routes to reporting a problem, a status answer, or a person.
 */
import { MessageFactory } from 'botbuilder';
import { type DialogTurnResult, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogServices, ReportDraft } from './dialogServices';
import { draftFromText, looksLikeDescription, mergeDrafts } from './draftFromText';
import { detectInterruption, detectMenuChoice, isGreetingOnly } from './intents';
import { InterruptibleDialog } from './interruptibleDialog';
import { say } from './messages';
import { REPORT_PROBLEM_DIALOG, ReportProblemDialog, type ReportProblemOptions } from './reportProblemDialog';
import { replyWithStatus, requestHuman, wantsStatus } from './ticketActions';

export const MAIN_DIALOG = 'mainDialog';
const WATERFALL = 'mainWaterfall';
const MENU_PROMPT = 'menuPrompt';
/** Set when the first step asked the menu question, so the second knows its result is the answer. */
interface MenuValues {
  menuAsked?: boolean;
}
const MENU_CHOICES = ['Report a problem', 'Check a ticket\'s status', 'Talk to a person'];

export class MainDialog extends InterruptibleDialog {
  constructor(services: DialogServices) {
    super(MAIN_DIALOG, services);
    this.addDialog(new TextPrompt(MENU_PROMPT))
      .addDialog(new ReportProblemDialog(services))
      .addDialog(new WaterfallDialog(WATERFALL, [(step) => this.routeStep(step), (step) => this.menuAnswerStep(step), (step) => this.finalStep(step)]));
    this.initialDialogId = WATERFALL;
  }

  protected restartDialogId(): string {
    return WATERFALL;
  }

  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = step.context.activity.text?.trim() ?? '';
    const data = await this.services.conversationData.get(step.context, {});
    // Came from a public post: the story is known, so go straight to confirming it.
    if (data.publicPost && !data.ticketRef) {
      // An order number the customer already posted is confirmed in the summary, not asked again.
      const postedOrder = this.services.orderNumbers.find(data.publicPost.text);
      const fromPost: ReportDraft = { description: data.publicPost.text, ...(postedOrder && { orderNumber: postedOrder }) };
      return this.report(step, mergeDrafts(text && !isGreetingOnly(text) ? draftFromText(text, this.services) : {}, fromPost));
    }
    const interruption = detectInterruption(text, this.services.ticketPrefix);
    if (interruption === 'help') await step.context.sendActivity(say.help(this.services.ticketPrefix));
    // "where is my order" with no ticket to look up is the problem itself: report it, in their words.
    if (interruption === 'status' && !(await wantsStatus(step.context, this.services))) return this.report(step, { ...draftFromText(text, this.services), description: text });
    if (interruption === 'human' || interruption === 'status') return this.routeChoice(step, interruption);
    const choice = detectMenuChoice(text);
    if (choice) return this.routeChoice(step, choice);
    const draft = text ? draftFromText(text, this.services) : {};
    if (draft.orderNumber || draft.description) return this.report(step, draft);
    (step.values as MenuValues).menuAsked = true;
    return step.prompt(MENU_PROMPT, { prompt: MessageFactory.suggestedActions(MENU_CHOICES, say.menu) });
  }

  private async menuAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // A report begun by the first step ends here too, with its ticket ref: that is not a menu answer.
    if (!(step.values as MenuValues).menuAsked || typeof step.result !== 'string') return step.next(step.result);
    const text = step.result.trim();
    const choice = detectMenuChoice(text);
    if (choice) return this.routeChoice(step, choice);
    const draft = draftFromText(text, this.services);
    // After the menu, anything that is not a choice is the customer telling us what happened.
    if (!draft.description && !isGreetingOnly(text) && text.split(/\s+/).length >= 2) draft.description = text;
    if (draft.orderNumber || draft.description || looksLikeDescription(text)) return this.report(step, draft);
    return step.replaceDialog(WATERFALL);
  }

  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result);
  }

  private report(step: WaterfallStepContext, draft: ReportDraft): Promise<DialogTurnResult> {
    const options: ReportProblemOptions = { draft };
    return step.beginDialog(REPORT_PROBLEM_DIALOG, options);
  }

  private async routeChoice(step: WaterfallStepContext, choice: 'report' | 'status' | 'human'): Promise<DialogTurnResult> {
    if (choice === 'report') return this.report(step, {});
    if (choice === 'status') await replyWithStatus(step.context, this.services);
    else await requestHuman(step.context, this.services, 'the customer asked for a person');
    return step.endDialog();
  }
}
