/**
 * "never mind, it arrived after all": the customer closes their own ticket. Which one (the reference they
 * quote, their only active one, or the one they pick), a yes/no with buttons, then TicketService resolves it
 * with the customer as actor; the follow-ups and the hand-off queue react to that change on their own.
 */
import { MessageFactory } from 'botbuilder';
import {
  ComponentDialog,
  ConfirmPrompt,
  type DialogTurnResult,
  ListStyle,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { isActive, STATUS_FOR_CUSTOMER } from '../services/tickets/lifecycle';
import { findTicketRef } from '../services/tickets/ticketRef';
import type { Ticket } from '../services/tickets/types';
import type { DialogServices } from './dialogServices';
import { isNo, readYesNo, saysNoneOrSkip } from './intents';
import { say } from './messages';
import { customerActor } from './ticketActions';
import { customerOf } from './turnFacts';

export const WITHDRAW_TICKET_DIALOG = 'withdrawTicketDialog';
const WATERFALL = 'withdrawWaterfall';
const WHICH_PROMPT = 'withdrawWhichPrompt';
const CONFIRM_PROMPT = 'withdrawConfirmPrompt';
/** What the audit trail and the console show as the reason. */
export const WITHDRAWN_REASON = 'withdrawn by the customer';
const NONE = 'none';
/** How many of the customer's tickets are offered when they have several. */
const MOST_OFFERED = 5;

interface Choice {
  ref: string;
  orderNumber?: string;
}

interface WithdrawValues {
  ref?: string;
  /** The customer's own words, kept for the audit note. */
  words?: string;
  choices?: Choice[];
}

type Step = WaterfallStepContext<Record<string, never>> & { values: WithdrawValues };

export class WithdrawTicketDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(WITHDRAW_TICKET_DIALOG);
    const confirm = new ConfirmPrompt(CONFIRM_PROMPT, readYesNo);
    // The buttons are ours (suggested actions); the SDK's "(1) Yes or (2) No" would repeat them.
    confirm.style = ListStyle.none;
    this.addDialog(new TextPrompt(WHICH_PROMPT, (prompt) => this.validateChoice(prompt)))
      .addDialog(confirm)
      .addDialog(
        new WaterfallDialog(WATERFALL, [
          (step) => this.pickStep(step as Step),
          (step) => this.chosenStep(step as Step),
          (step) => this.confirmStep(step as Step),
          (step) => this.finishStep(step as Step),
        ]),
      );
    this.initialDialogId = WATERFALL;
  }

  private async pickStep(step: Step): Promise<DialogTurnResult> {
    const { context } = step;
    const words = context.activity.text ?? '';
    step.values.words = words.trim().slice(0, 500);
    const quoted = findTicketRef(words, this.services.ticketPrefix);
    if (quoted) {
      const refused = await this.cannotWithdraw(step, quoted);
      if (refused) return this.end(step, refused);
      step.values.ref = quoted;
      return step.next();
    }
    const active = (await this.services.tickets.listForCustomer(customerOf(context), 20)).filter((ticket) => isActive(ticket.status)).slice(0, MOST_OFFERED);
    if (active.length === 0) return this.end(step, say.nothingToWithdraw);
    if (active.length === 1) {
      step.values.ref = active[0].ref;
      return step.next();
    }
    step.values.choices = active.map((ticket) => ({ ref: ticket.ref, ...(ticket.orderNumber && { orderNumber: ticket.orderNumber }) }));
    const refs = active.map((ticket) => ticket.ref);
    return step.prompt(WHICH_PROMPT, {
      prompt: MessageFactory.suggestedActions([...refs, 'None'], say.whichToWithdraw(active.map(describeChoice))),
      retryPrompt: MessageFactory.suggestedActions([...refs, 'None'], say.retryWhichToWithdraw(refs)),
      validations: { choices: step.values.choices },
    });
  }

  private async chosenStep(step: Step): Promise<DialogTurnResult> {
    if (step.values.ref) return step.next();
    const picked = typeof step.result === 'string' ? step.result : NONE;
    if (picked === NONE) return this.end(step, say.withdrawKept());
    step.values.ref = picked;
    return step.next();
  }

  private async confirmStep(step: Step): Promise<DialogTurnResult> {
    const ref = step.values.ref!;
    return step.prompt(CONFIRM_PROMPT, {
      prompt: MessageFactory.suggestedActions(['Yes', 'No'], say.confirmWithdraw(ref)),
      retryPrompt: MessageFactory.suggestedActions(['Yes', 'No'], `Please answer yes or no: shall I close **${ref}**?`),
    });
  }

  private async finishStep(step: Step): Promise<DialogTurnResult> {
    const ref = step.values.ref!;
    if (step.result !== true) return this.end(step, say.withdrawKept(ref));
    // Read again: an agent may have resolved it while the customer was answering.
    const refused = await this.cannotWithdraw(step, ref);
    if (refused) return this.end(step, refused);
    await this.services.tickets.changeStatus(ref, 'resolved', customerActor(step.context), `${WITHDRAWN_REASON}: "${step.values.words ?? ''}"`);
    (await this.services.conversationData.get(step.context, {})).ticketRef = ref;
    return this.end(step, say.withdrawn(ref, this.services.reopenDays));
  }

  /** Why `ref` cannot be closed: not the customer's own (someone else's reads as not found), or already ended. */
  private async cannotWithdraw(step: Step, ref: string): Promise<string | undefined> {
    const ticket = await this.services.tickets.getForCustomer(ref, customerOf(step.context));
    if (!ticket) return say.ticketNotFound(ref);
    if (!isActive(ticket.status)) return say.alreadyEnded(ref, STATUS_FOR_CUSTOMER[ticket.status].label);
    return undefined;
  }

  private async end(step: Step, reply: string): Promise<DialogTurnResult> {
    await step.context.sendActivity(reply);
    return step.endDialog();
  }

  /** A reference among those offered, its number in the list, its order number, or "none"/"no". */
  private async validateChoice(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const choices = (prompt.options.validations as { choices?: Choice[] } | undefined)?.choices ?? [];
    const text = prompt.recognized.value ?? '';
    const quoted = findTicketRef(text, this.services.ticketPrefix);
    const order = this.services.orderNumbers.find(text);
    const index = /^\s*#?(\d)\s*[.)]?\s*$/.exec(text)?.[1];
    const picked =
      choices.find((choice) => choice.ref === quoted) ??
      (order ? choices.find((choice) => choice.orderNumber === order) : undefined) ??
      (index ? choices[Number(index) - 1] : undefined);
    if (picked) {
      prompt.recognized.value = picked.ref;
      return true;
    }
    if (isNo(text) || saysNoneOrSkip(text) || /\b(neither|none|nothing)\b/i.test(text)) {
      prompt.recognized.value = NONE;
      return true;
    }
    return false;
  }
}

/** "CS-7K3M9Q (order AB-2024117)" or "CS-7K3M9Q: my parcel never came…" so the customer knows which is which. */
function describeChoice(ticket: Ticket): string {
  if (ticket.orderNumber) return `**${ticket.ref}** (order ${ticket.orderNumber})`;
  const gist = ticket.description ? `: ${ticket.description.slice(0, 40)}${ticket.description.length > 40 ? '…' : ''}` : '';
  return `**${ticket.ref}**${gist}`;
}
