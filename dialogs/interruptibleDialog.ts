/**
 * The one place interruptions are handled: "help", "cancel", "start over", "agent" and "status" work at
 * any step of any dialog below, because the outermost dialog checks them before its children continue.
 */
import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';
import type { DialogServices } from './dialogServices';
import { detectInterruption } from './intents';
import { say } from './messages';
import { currentTicket, replyWithStatus, requestHuman, wantsStatus } from './ticketActions';
import { WITHDRAW_TICKET_DIALOG, WithdrawTicketDialog } from './withdrawTicketDialog';
import { saysProblemWentAway } from '../services/recognition/withdrawal';

export abstract class InterruptibleDialog extends ComponentDialog {
  constructor(
    id: string,
    protected readonly services: DialogServices,
  ) {
    super(id);
    this.addDialog(new WithdrawTicketDialog(services));
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
    // A reference tapped on "which ticket shall I close?" answers that question, not a status request.
    if (intent === 'status' && innerDc.activeDialog?.id === WITHDRAW_TICKET_DIALOG) return undefined;
    if (!intent && (await this.withdraws(innerDc))) {
      await this.forgetDraft(innerDc);
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(WITHDRAW_TICKET_DIALOG);
    }
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

  /** "never mind, it arrived after all" mid-flow, once a ticket exists: offer to close it (not inside that offer itself). */
  private async withdraws(innerDc: DialogContext): Promise<boolean> {
    if (innerDc.activeDialog?.id === WITHDRAW_TICKET_DIALOG) return false;
    if (!saysProblemWentAway(innerDc.context.activity.text, this.services.ticketPrefix)) return false;
    return (await currentTicket(innerDc.context, this.services)) !== null;
  }

  private async forgetDraft(innerDc: DialogContext): Promise<void> {
    const data = await this.services.conversationData.get(innerDc.context, {});
    delete data.draft;
  }
}
