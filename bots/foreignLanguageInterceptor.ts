/**
 * Registered after the agent relay: a DM clearly written in another language is acknowledged once in
 * English and that language, becomes a ticket with the language and goes to a person; the English dialog
 * stays out of the conversation until the customer writes English again. E-mail has its own thread flow.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { ConversationData, DialogServices } from '../dialogs/dialogServices';
import { handOverInLanguage } from '../dialogs/foreignLanguage';
import { currentTicket } from '../dialogs/ticketActions';
import { readLanguage } from '../services/recognition/dmLanguage';
import { EMAIL_CHANNEL_ID } from './emailChannel';
import type { TurnInterceptor } from './supportBot';

export class ForeignLanguageInterceptor implements TurnInterceptor {
  readonly name = 'foreignLanguage';

  constructor(private readonly deps: { services: DialogServices; dialogState: StatePropertyAccessor<DialogState> }) {}

  async handle(context: TurnContext, data: ConversationData): Promise<boolean> {
    const { activity } = context;
    if (activity.type !== 'message' || activity.channelId === EMAIL_CHANNEL_ID) return false;
    const text = activity.text?.trim();
    if (!text) return false;
    const reading = readLanguage(text, activity.locale);
    if (data.language) {
      // Back in English: the normal dialog carries on from here.
      if (reading.english) {
        delete data.language;
        return false;
      }
      // "AB-2024117" or "ok" from a customer who wrote Spanish is still for the person on their ticket; with no ticket left, the bot serves them.
      if (!reading.language && !(await currentTicket(context, this.deps.services))) {
        delete data.language;
        return false;
      }
      await handOverInLanguage(context, this.deps.services, reading.language ?? data.language, false);
      return true;
    }
    if (!reading.language) return false;
    // An English question left open would come back later; the customer's answer is their own words now.
    if ((await this.deps.dialogState.get(context))?.dialogStack?.length) await this.deps.dialogState.set(context, { dialogStack: [] });
    data.language = reading.language;
    data.greeted = true;
    await handOverInLanguage(context, this.deps.services, reading.language, true);
    return true;
  }
}
