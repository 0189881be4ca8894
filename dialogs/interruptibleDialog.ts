/**
 * The one place interruptions are handled: "help", "cancel", "start over", "agent" and "status" work at
 * any step of any dialog below, because the outermost dialog checks them before its children continue.
 */
import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';
import type { DialogServices } from './dialogServices';
import { detectInterruption } from './intents';
import { say } from './messages';
import { replyWithStatus, requestHuman, wantsStatus } from './ticketActions';

export abstract class InterruptibleDialog extends ComponentDialog {
  constructor(
    id: string,
    protected readonly services: DialogServices,
  ) {
    super(id);
  }

  /** Where "start over" begins again. */
  protected abstract restartDialogId(): string;

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(innerDc);
    return interrupted ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { context } = innerDc;
    if (context.activity.type !== 'message') return undefined;
    const intent = detectInterruption(context.activity.text, this.services.ticketPrefix);
    switch (intent) {
      case 'help':
        await context.sendActivity(say.help(this.services.ticketPrefix));
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case 'status':
        if (!(await wantsStatus(context, this.services))) return undefined;
        await replyWithStatus(context, this.services);
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case 'cancel':
        await this.forgetDraft(innerDc);
        await innerDc.cancelAllDialogs();
        await context.sendActivity(say.cancelled);
        return { status: DialogTurnStatus.cancelled };
      case 'restart':
        await this.forgetDraft(innerDc);
        await innerDc.cancelAllDialogs();
        await context.sendActivity(say.restarting);
        return innerDc.beginDialog(this.restartDialogId());
      case 'human':
        await requestHuman(context, this.services, 'the customer asked for a person');
        await innerDc.cancelAllDialogs();
        return { status: DialogTurnStatus.cancelled };
      default:
        return undefined;
    }
  }

  private async forgetDraft(innerDc: DialogContext): Promise<void> {
    const data = await this.services.conversationData.get(innerDc.context, {});
    delete data.draft;
  }
}
