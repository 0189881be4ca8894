/** Text to match literally inside a `$regex` filter (names, e-mails and ids may hold ".", "+" or "("). */
export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
