/** Slot filling: what a free-text message already tells us, so it is confirmed rather than asked again. */
import { recognizeContacts } from '../services/recognition/contact';
import type { DialogServices, ReportDraft } from './dialogServices';
import { isGreetingOnly } from './intents';

/** Below this a message is a reply ("yes", "AB-2024117"), not a description of the problem. */
const DESCRIPTION_MIN_WORDS = 4;

export function looksLikeDescription(text: string): boolean {
  return !isGreetingOnly(text) && text.trim().split(/\s+/).length >= DESCRIPTION_MIN_WORDS;
}

export function draftFromText(text: string, services: Pick<DialogServices, 'orderNumbers' | 'phoneRegion'>): ReportDraft {
  const draft: ReportDraft = {};
  const orderNumber = services.orderNumbers.find(text);
  if (orderNumber) draft.orderNumber = orderNumber;
  const { emails, phones } = recognizeContacts(text, services.phoneRegion, orderNumber ? [orderNumber] : []);
  if (emails[0] || phones[0]) {
    draft.contact = { ...(emails[0] && { email: emails[0] }), ...(phones[0] && { phone: phones[0].e164 }) };
  }
  if (looksLikeDescription(text)) draft.description = text.trim();
  return draft;
}

/**
 * A value typed into the summary. A bare number there that is also a phone number is read as the phone
 * ("use 4155550132 instead"), unless the customer says it is the order; letters-and-digits order numbers
 * are never phones.
 */
export function correctionFromText(text: string, services: Pick<DialogServices, 'orderNumbers' | 'phoneRegion'>): ReportDraft {
  const draft = draftFromText(text, services);
  if (!draft.orderNumber || !/^\d+$/.test(draft.orderNumber) || /\border\b/i.test(text)) return draft;
  const [phone] = recognizeContacts(text, services.phoneRegion, []).phones;
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
