/**
 * Every area that keeps personal data registers a holder here: what it can show for a subject access
 * request, and how it erases. Erasure and subject access walk the whole registry, so a new collection
 * with customer data is covered by registering one holder next to the code that writes it.
 */
export interface Subject {
  /** 'customer': everything about the person; 'tickets': only these tickets (retention of closed tickets). */
  scope: 'customer' | 'tickets';
  ticketRefs: string[];
  /** Channel identities ({channelId, userId}); for social platforms the userId is the platform's user id. */
  identities: Array<{ channelId: string; userId: string }>;
  /** Conversations that belong to the subject alone (none shared with tickets that stay). */
  conversationIds: string[];
  /** Archived public posts (`platform:postId`) written by the subject. */
  postKeys: string[];
  /** Platform author ids of the subject's public posts. */
  authorIds: string[];
  /** Literal personal values (e-mails, phones, names, order numbers, handles) to scrub from free text. */
  values: string[];
}

export interface ErasureContext {
  /** Replacement for the subject's ids, fresh per erasure so erased records cannot be linked to each other. */
  pseudonym: string;
  actor: { kind: 'agent' | 'system'; id: string; name?: string };
  reason: string;
  at: Date;
}

export interface PersonalDataHolder {
  /** Shown in subject access exports and erasure receipts (e.g. "transcripts"). */
  name: string;
  find(subject: Subject): Promise<unknown[]>;
  /** Returns how many records were erased or deleted. */
  erase(subject: Subject, context: ErasureContext): Promise<number>;
}

export class PersonalDataRegistry {
  private readonly holders: PersonalDataHolder[] = [];

  register(holder: PersonalDataHolder): void {
    if (this.holders.some((existing) => existing.name === holder.name)) throw new Error(`A personal-data holder named ${holder.name} is already registered`);
    this.holders.push(holder);
  }

  all(): readonly PersonalDataHolder[] {
    return this.holders;
  }
}

export const ERASED = '[erased]';

const PERSONAL_KEYS = new Set(['email', 'phone', 'name', 'username', 'authorname', 'authorhandle', 'handle', 'ordernumber', 'description', 'text', 'comment', 'contact', 'address', 'reason']);

/**
 * A hash field (`digest`, `contentHash`, …) holding a hex hash of 128+ bits carries nothing personal, though a short
 * value (a numeric user id) may occur inside it by chance; erasing it would break what it proves (an export's issuance).
 */
const isHashDigest = (key: string, value: string): boolean => /(digest|hash)$/i.test(key) && /^[0-9a-f]{32,}$/i.test(value);

/** A copy with personal keys and any string containing one of `values` replaced; unchanged values keep identity. */
export function scrub(value: unknown, values: string[], key = ''): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    if (PERSONAL_KEYS.has(key.toLowerCase()) || /text$|subject$/i.test(key)) return ERASED;
    if (isHashDigest(key, value)) return value;
    const lower = value.toLowerCase();
    return values.some((personal) => personal.length >= 3 && lower.includes(personal.toLowerCase())) ? ERASED : value;
  }
  if (value instanceof Date || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const mapped = value.map((item) => scrub(item, values, key));
    return mapped.every((item, index) => item === value[index]) ? value : mapped;
  }
  if (PERSONAL_KEYS.has(key.toLowerCase()) && key.toLowerCase() === 'contact') return { erased: true };
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>)) {
    out[inner] = scrub(innerValue, values, inner);
    if (out[inner] !== innerValue) changed = true;
  }
  return changed ? out : value;
}

