/**
 * A customer writing in a language the bot does not speak: their own words become the ticket (or go onto
 * the conversation's current one), the language is recorded, and a person is asked for, without a question.
 */
import type { TurnContext } from 'botbuilder';
import type { DialogServices } from './dialogServices';
import { acknowledgementIn, languageHandoffReason } from './languageMessages';
import { currentTicket, customerActor, requestHuman } from './ticketActions';

/** `acknowledge`: the first time only; later messages get the handoff answer alone. */
export async function handOverInLanguage(context: TurnContext, services: DialogServices, language: string, acknowledge: boolean): Promise<void> {
  const data = await services.conversationData.get(context, {});
  const text = context.activity.text?.trim() ?? '';
  const existing = await currentTicket(context, services);
  if (existing) {
    const actor = customerActor(context);
    await services.tickets.addCustomerUpdate(existing.ref, text, actor);
    await services.tickets.mutate(existing.ref, actor, 'ticket.language_noted', (ticket) =>
      ticket.language ? null : { patch: { language }, after: { language } },
    );
  } else {
    const orderNumber = data.draft?.orderNumber ?? services.orderNumbers.find(text);
    const description = [data.draft?.description, text].filter(Boolean).join('\n');
    data.draft = { ...data.draft, description, ...(orderNumber && { orderNumber }), language };
  }
  await requestHuman(context, services, languageHandoffReason(language), acknowledge ? acknowledgementIn(language) : undefined);
}
