/**
 * How many SMS segments a text takes, as carriers bill and split it: GSM-7 (160 septets alone, 153 per part
 * when concatenated; ^{}\[~]|€ take two) unless any character is outside it, then UCS-2 (70 alone, 67 per part,
 * an emoji takes two). A part never splits an escape pair or a surrogate pair. Pure.
 */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

function isGsm7(text: string): boolean {
  for (const char of text) if (!GSM_BASIC.has(char) && !GSM_EXTENDED.has(char)) return false;
  return true;
}

export function smsSegments(text: string): SmsSize {
  const gsm = isGsm7(text);
  const costs = [...text].map((char) => (gsm ? (GSM_EXTENDED.has(char) ? 2 : 1) : char.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  if (units <= single) return { encoding, units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > part) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments };
}

/** Follow-up SMS and the texts back to customers stay within two segments (one billed message on most plans). */
const SMS_MAX_SEGMENTS = 2;

export function fitsSms(text: string): boolean {
  return smsSegments(text).segments <= SMS_MAX_SEGMENTS;
}

/** Typographic punctuation agents and templates type, as its GSM-7 look-alike, so one curly quote cannot halve the room. */
export function toGsmPunctuation(text: string): string {
  return text
    .replace(/[‘’‚‛′]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/…/g, '...')
    .replace(/[\u00a0\u2000-\u200a\u202f]/g, ' ');
}
