/**
 * The two recognizers in the order they must run on one message: order numbers first, so that their
 * digits are not also read as phone numbers ("20241170" is a valid German landline).
 */
import { recognizeContacts, redactPersonalData, type CountryCode, type RecognizedContacts } from './contact';
import { redactOrderNumbers, type OrderNumberRecognizer } from './orderNumber';

export interface CustomerDetails extends RecognizedContacts {
  orderNumbers: string[];
}

export function recognizeCustomerDetails(
  text: string,
  orders: OrderNumberRecognizer,
  defaultRegion: CountryCode,
): CustomerDetails {
  const orderNumbers = orders.findAll(text);
  return { orderNumbers, ...recognizeContacts(text, defaultRegion, orderNumbers) };
}

/** For log lines and public replies: "[order]", then "[email]" and "[phone]" (the other way round, orders would read "[phone]"). */
export function redactCustomerText(text: string, orders: OrderNumberRecognizer): string {
  return redactPersonalData(redactOrderNumbers(text, orders));
}
