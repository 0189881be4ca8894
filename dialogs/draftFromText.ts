/** Slot filling: what a free-text message already tells us, so it is confirmed rather than asked again. */
import { recognizeContacts, type CountryCode, type RecognizedContacts } from '../services/recognition/contact';
import type { OrderNumberMatch } from '../services/recognition/orderNumber';
import type { DialogServices, ReportDraft } from './dialogServices';
import { normaliseWords } from '../services/recognition/words';
import { genericHelpRequest, isGreetingOnly } from './intents';

/** Below this a message is a reply ("yes", "AB-2024117"), not a description of the problem. */
const DESCRIPTION_MIN_WORDS = 4;

export function looksLikeDescription(text: string): boolean {
  return !isGreetingOnly(text) && text.trim().split(/\s+/).length >= DESCRIPTION_MIN_WORDS;
}

/**
 * Words that only introduce details ("hi, my order number is …, my email is …"): they say nothing about what went wrong.
 * "order" is not among them ("where is my order" is a story); ORDER_LEAD_IN takes it out where it leads in a number.
 */
const DETAIL_WORDS = new Set(
  ('hi hello hey hiya there good morning afternoon evening this is i im i m am my name the our number no nr num ' +
    'ref reference id it its it s and or also e-mail email mail address phone mobile cell tel telephone contact me at on by ' +
    'you can reach call text please pls thanks thank a an of for with here here s heres')
    .split(' '),
);
/** Once the details are taken out, fewer words than this about the problem and the message only gave details. */
const MIN_STORY_WORDS = 2;

/** `customerRegion`: the customer's own country (customerRegionOf), where local phone numbers are read too. */
export function draftFromText(text: string, services: Pick<DialogServices, 'orderNumbers' | 'phoneRegion'>, customerRegion?: CountryCode): ReportDraft {
  const draft: ReportDraft = {};
  const orders = services.orderNumbers.locate(text);
  const orderNumber = orders[0]?.value;
  if (orderNumber) draft.orderNumber = orderNumber;
  const { emails, phones } = recognizeContacts(text, services.phoneRegion, orderNumber ? [orderNumber] : [], customerRegion);
  if (emails[0] || phones[0]) {
    draft.contact = { ...(emails[0] && { email: emails[0] }), ...(phones[0] && { phone: phones[0].e164 }) };
  }
  if (emails[0] && !phones[0] && phoneLeftOut(text, emails[0], services)) draft.phoneNotPlaced = true;
  // "Hello, my order number is AB-2024117" gives details, not the problem: the description is still to be asked.
  if (looksLikeDescription(text) && !onlyDetails(text, orders, { emails, phones }) && !genericHelpRequest(text)) draft.description = text.trim();
  return draft;
}

/** Fewer digits than this cannot be a phone number, so the answer is not mistaken for one without its country code. */
export const MIN_PHONE_DIGITS = 7;

/** Digits that could be a phone: an order number with letters ("AB-2024117") is not one, whatever its length. */
export function digitsOutsideOrderNumbers(text: string, services: Pick<DialogServices, 'orderNumbers'>): string {
  let rest = text;
  for (const match of services.orderNumbers.locate(text)) if (/[A-Z]/.test(match.value)) rest = rest.replace(match.raw, ' ');
  return rest.replace(/\D/g, '');
}

/** "priya@example.com or 07911 123456" with no country to read the number in: the e-mail was read, a phone was typed but not. */
export function phoneLeftOut(text: string, email: string, services: Pick<DialogServices, 'orderNumbers'>): boolean {
  return digitsOutsideOrderNumbers(text.replace(email, ' '), services).length >= MIN_PHONE_DIGITS;
}

/** Whether the text says something about the problem besides greetings, order numbers and contact details (none given: yes). */
export function tellsMoreThanDetails(text: string, services: Pick<DialogServices, 'orderNumbers' | 'phoneRegion'>, customerRegion?: CountryCode): boolean {
  const orders = services.orderNumbers.locate(text);
  return !onlyDetails(text, orders, recognizeContacts(text, services.phoneRegion, orders.map((order) => order.value), customerRegion));
}

/** Details were given (order numbers, e-mail, phone) and fewer than MIN_STORY_WORDS besides them. */
function onlyDetails(text: string, orders: readonly OrderNumberMatch[], { emails, phones }: RecognizedContacts): boolean {
  const detailsTyped = [...orders.map((order) => order.raw), ...phones.map((phone) => phone.raw)];
  return (detailsTyped.length > 0 || emails.length > 0) && storyWords(text, detailsTyped).length < MIN_STORY_WORDS;
}

/** "order number is", "order no.", "order ref": the words that lead in an order number, not a story about the order. */
const ORDER_LEAD_IN = /\border\s*(?:number|no\b\.?|nr|num|ref|reference|id|#)?\s*(?:is|was|:)?\s*\u0000|\border\s*(?:number|no\b\.?|nr|num|ref|reference|id)\b/gi;

function storyWords(text: string, detailsTyped: readonly string[]): string[] {
  let rest = text.replace(/\S+@\S+/g, ' ');
  // The typed details become a marker first, so "order AB-2024117" goes as a whole while "where is my order" stays.
  for (const raw of detailsTyped) rest = rest.split(raw).join('\u0000');
  rest = rest.replace(ORDER_LEAD_IN, ' ').replace(/\u0000/g, ' ');
  return normaliseWords(rest)
    .split(' ')
    .filter((word) => word !== '' && !DETAIL_WORDS.has(word));
}

/**
 * A value typed into the summary. A bare number there that is also a phone number is read as the phone
 * ("use 4155550132 instead"), unless the customer says it is the order; letters-and-digits order numbers
 * are never phones.
 */
export function correctionFromText(text: string, services: Pick<DialogServices, 'orderNumbers' | 'phoneRegion'>, customerRegion?: CountryCode): ReportDraft {
  const draft = draftFromText(text, services, customerRegion);
  if (!draft.orderNumber || !/^\d+$/.test(draft.orderNumber) || /\border\b/i.test(text)) return draft;
  const [phone] = recognizeContacts(text, services.phoneRegion, [], customerRegion).phones;
  if (!phone) return draft;
  const { orderNumber: _asPhone, ...rest } = draft;
  return { ...rest, contact: { ...rest.contact, phone: phone.e164 } };
}

/** Later knowledge fills gaps; it never overwrites what the customer already confirmed. */
export function mergeDrafts(base: ReportDraft, extra: ReportDraft): ReportDraft {
  return {
    ...(base.orderNumber ?? extra.orderNumber ? { orderNumber: base.orderNumber ?? extra.orderNumber } : {}),
    ...(base.contact || extra.contact ? { contact: { ...extra.contact, ...base.contact } } : {}),
    ...(base.description ?? extra.description ? { description: base.description ?? extra.description } : {}),
  };
}
