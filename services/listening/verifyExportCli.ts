/**
 * `npm run audit:verify -- export.json`: says whether a saved ticket export is self-consistent (exit 0) or not
 * (exit 1); 2 when it cannot be read. Offline it has no audit trail to compare with, so an edited export whose
 * digest was recomputed passes here: only POST /api/audit/verify on the server can say whether we issued it.
 */
import { readFileSync } from 'node:fs';
import { verifyExport, whereBroken } from './export';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run audit:verify -- <ticket-export.json>');
  process.exit(2);
}
let document: unknown;
try {
  document = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const verdict = verifyExport(document);
const digest = verdict.documentMatches === null ? 'no document digest (format 1: only the audit trail is covered)' : 'document digest verifies';
console.log(
  verdict.intact
    ? `intact: ${verdict.events} audit events, chain and head hash verify; ${digest}. Self-consistency only: whether we issued this document is checked against the live audit trail by POST /api/audit/verify`
    : `BROKEN: ${whereBroken(verdict)}`,
);
process.exit(verdict.intact ? 0 : 1);
