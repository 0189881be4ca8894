/** `npm run audit:verify -- export.json`: says whether a saved ticket export's audit chain is intact (exit 0) or not (exit 1). */
import { readFileSync } from 'node:fs';
import { verifyExport } from './export';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run audit:verify -- <ticket-export.json>');
  process.exit(2);
}
const verdict = verifyExport(JSON.parse(readFileSync(file, 'utf8')));
console.log(verdict.intact ? `intact: ${verdict.events} audit events, chain and head hash verify` : `BROKEN: event ${verdict.brokenAt?.seq ?? '?'}: ${verdict.brokenAt?.reason ?? 'head hash does not match the last event'}`);
process.exit(verdict.intact ? 0 : 1);
