/**
 * A customer who writes the DM in a language the bot does not speak, over real HTTP with the real store:
 * one acknowledgement in English and their language, a ticket with their words and language, a person asked
 * for, and no English questions. English with a foreign word, a name, an order number or emoji runs the usual dialog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../services/tickets/types';
import type { FakeUser } from '../support/fakeChannel';
import { startTestAppWithChannel } from '../support/testApp';

const ENGLISH_QUESTIONS = /order number|reach you|what went wrong|How can I help|1\. Report a problem/i;
const ACK_ENGLISH = /Thank you for writing to us\. A member of our team who speaks (\w+) will help you here\./;

describe('a DM in another language', () => {
  let kit: Awaited<ReturnType<typeof startTestAppWithChannel>>;
  beforeAll(async () => {
    kit = await startTestAppWithChannel();
  });
  afterAll(async () => kit.close());

  const ticketsOf = (user: FakeUser) => kit.app.tickets.listForCustomer({ channelId: kit.channel.channelId, userId: user.userId }, 10);

  it.each([
    ['es', 'Spanish', 'Hola, mi pedido AB-2024117 llegó roto, necesito ayuda', 'Gracias por escribirnos. Un miembro de nuestro equipo que habla español le atenderá aquí.', 'AB-2024117'],
    ['de', 'German', 'Mein Paket ist nie angekommen', 'Danke für Ihre Nachricht. Eine Person aus unserem Team, die Deutsch spricht, meldet sich hier bei Ihnen.', undefined],
    ['fr', 'French', "Bonjour, je n'ai jamais reçu ma commande AB-2024117, j'ai besoin d'aide", 'Merci de nous avoir écrit. Un membre de notre équipe qui parle français va vous répondre ici.', 'AB-2024117'],
    ['pt', 'Portuguese', 'Olá, minha encomenda AB-2024118 nunca chegou, preciso de ajuda', 'Obrigado pela sua mensagem. Uma pessoa da nossa equipe que fala português vai responder aqui.', 'AB-2024118'],
    ['it', 'Italian', 'Ciao, il mio pacco non è mai arrivato, ho bisogno di aiuto', 'Grazie per averci scritto. Un membro del nostro team che parla italiano le risponderà qui.', undefined],
    ['zh', 'Chinese', '你好，我的订单AB-2024119还没到，包裹好像丢了', '感谢您的留言。我们会安排会说中文的同事在这里为您服务。', 'AB-2024119'],
  ])('when the first message is in %s, then one bilingual acknowledgement, one ticket with the language and the words, and a person is asked for', async (language, name, text, theirs, orderNumber) => {
    const customer = kit.channel.user();
    const replies = await customer.says(text);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(ACK_ENGLISH);
    expect(ACK_ENGLISH.exec(replies[0]!)?.[1]).toBe(name);
    expect(replies[0]).toContain(theirs);
    expect(replies[0]).toMatch(/asked a person to take over ticket \*\*CS-[A-Z0-9]{6}\*\*/);
    expect(replies[0]).not.toMatch(ENGLISH_QUESTIONS);

    const tickets = await ticketsOf(customer);
    expect(tickets).toHaveLength(1);
    const [ticket] = tickets;
    expect(ticket).toMatchObject({ language, description: text, humanRequested: { reason: `the customer writes in ${name}` } });
    expect(ticket!.orderNumber).toBe(orderNumber);
    expect(await kit.app.agents.queue.get(ticket!.ref)).toMatchObject({ state: 'waiting' });
  });

  it('when the Spanish-speaking customer writes again, then no English dialog question comes and no second ticket opens', async () => {
    const carmen = kit.channel.user(undefined, 'Carmen Ruiz');
    await carmen.says('Hola, mi pedido AB-2024117 llegó roto, necesito ayuda');
    const next = await carmen.says('La caja estaba aplastada y el vaso está roto');
    expect(next.join('\n')).not.toMatch(ENGLISH_QUESTIONS);
    expect(next.join('\n')).not.toContain('Gracias por escribirnos');
    expect(await ticketsOf(carmen)).toHaveLength(1);
  });

  it('when the customer left the queue and writes Spanish again, then their words go onto the same ticket and no English question comes', async () => {
    const carmen = kit.channel.user(undefined, 'Carmen Ruiz');
    await carmen.says('Hola, mi pedido AB-2024117 llegó roto, necesito ayuda');
    const [ticket] = await ticketsOf(carmen);
    expect((await carmen.says('cancel')).join('\n')).toMatch(/out of the queue/);

    const again = (await carmen.says('No, por favor, necesito hablar con una persona')).join('\n');
    expect(again).toContain(ticket!.ref);
    expect(again).not.toMatch(ENGLISH_QUESTIONS);
    expect(again).not.toContain('Gracias por escribirnos');
    expect(await ticketsOf(carmen)).toHaveLength(1);
    const trail = await kit.app.tickets.audit.list(ticket!.ref);
    expect(trail.map((event) => event.note)).toContain('No, por favor, necesito hablar con una persona');
  });

  it('when the English dialog is asking a question and the customer answers in Spanish, then the question is dropped and a person is asked for', async () => {
    const customer = kit.channel.user();
    expect((await customer.says('my parcel never arrived')).join('\n')).toMatch(/order number/);
    const replies = (await customer.says('No entiendo, hablo español. Mi paquete nunca llegó')).join('\n');
    expect(replies).toContain('Gracias por escribirnos');
    const [ticket] = await ticketsOf(customer);
    expect(ticket).toMatchObject({ language: 'es' });
    expect(ticket!.description).toContain('Mi paquete nunca llegó');
    // The order number now goes to the waiting ticket, not to the dropped English question.
    expect((await customer.says('AB-2024117')).join('\n')).toMatch(/added that to ticket/);
  });

  it('when the channel sends es-ES, then a shorter Spanish message is enough', async () => {
    const customer = kit.channel.user();
    const replies = await customer.says('Hola, mi paquete', { locale: 'es-ES' });
    expect(replies.join('\n')).toContain('Gracias por escribirnos');
    expect((await ticketsOf(customer))[0]).toMatchObject({ language: 'es' });
  });

  it.each([
    ['English with "gracias"', 'Thanks, gracias! My order AB-2024117 arrived broken', /reach you/],
    ['English with a Spanish name', 'Hi, this is María Fernández de la Vega, my parcel never arrived', /order number/],
    ['"Merci!" alone', 'Merci!', /How can I help|Report a problem/],
    ['an order number only', 'AB-2024117', /reach you|order/i],
    ['emoji only', '😡📦', /How can I help|Report a problem|what happened/i],
  ])('when the first message is %s, then the English dialog answers and no ticket opens', async (_case, text, english) => {
    const customer = kit.channel.user();
    const replies = await customer.says(text);
    expect(replies.join('\n')).toMatch(/automated assistant/);
    expect(replies.join('\n')).toMatch(english);
    expect(replies.join('\n')).not.toMatch(ACK_ENGLISH);
    expect(await ticketsOf(customer)).toHaveLength(0);
  });
});

describe('a Spanish-speaking customer after their ticket ended', () => {
  let kit: Awaited<ReturnType<typeof startTestAppWithChannel>>;
  // No reopening by reply and no background follow-ups: what the customer writes next is the bot's to read.
  beforeAll(async () => {
    kit = await startTestAppWithChannel({ CSAT_REOPEN_DAYS: '0', FOLLOW_UP_SWEEP_MS: '0' });
  });
  afterAll(async () => kit.close());

  it('when they write Spanish again, then a new ticket with the language goes to a person without a second acknowledgement; when they write English, the dialog runs', async () => {
    const carmen = kit.channel.user(undefined, 'Carmen Ruiz');
    const tickets = () => kit.app.tickets.listForCustomer({ channelId: kit.channel.channelId, userId: carmen.userId }, 10);
    await carmen.says('Hola, mi pedido AB-2024117 llegó roto, necesito ayuda');
    const [first] = await tickets();
    await kit.app.tickets.changeStatus(first!.ref, 'resolved', SYSTEM_ACTOR);

    const again = (await carmen.says('Hola otra vez, ahora mi pedido AB-2024120 tampoco llegó')).join('\n');
    expect(again).toMatch(/asked a person to take over ticket/);
    expect(again).not.toContain('Gracias por escribirnos');
    expect(again).not.toMatch(ENGLISH_QUESTIONS);
    const [second] = await tickets();
    expect(second).toMatchObject({ language: 'es', orderNumber: 'AB-2024120', humanRequested: { reason: 'the customer writes in Spanish' } });
    expect(second!.ref).not.toBe(first!.ref);

    await kit.app.tickets.changeStatus(second!.ref, 'resolved', SYSTEM_ACTOR);
    const english = (await carmen.says('Sorry, can we speak English? My glass arrived broken')).join('\n');
    expect(english).toMatch(ENGLISH_QUESTIONS);
    expect(english).not.toMatch(/asked a person to take over/);
    expect(await tickets()).toHaveLength(2);
  });
});
