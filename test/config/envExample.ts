/**
 * Renders `.env.example` from the config schema, so the file can be regenerated whenever keys are added:
 *   npx tsx -e "require('./test/config/envExample').writeEnvExample()"
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../services/config';
import { formatWeekHours, type WeekHours } from '../../services/handoff/weekHours';

export const ENV_EXAMPLE_PATH = path.join(__dirname, '..', '..', '.env.example');

interface SettingLike {
  env: string;
  doc: string;
  default: unknown;
  secret?: boolean;
}

/** Variable names set in a .env file (uncommented NAME=value lines). */
export function envNamesIn(text: string): string[] {
  return [...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1]);
}

export function schemaEnvNames(): string[] {
  return (Object.values(configSchema) as SettingLike[]).map((setting) => setting.env);
}

function describeDefault(value: unknown): string {
  if (value === '') return 'empty';
  if (value && typeof value === 'object' && 'week' in value) return formatWeekHours((value as { week: WeekHours }).week);
  if (value && typeof value === 'object' && 'startHour' in value && 'endHour' in value) {
    const { startHour, endHour } = value as { startHour: number; endHour: number };
    return `${String(startHour).padStart(2, '0')}:00-${String(endHour).padStart(2, '0')}:00`;
  }
  // Lists and maps are described in the syntax the variable takes, never as JSON an operator might copy.
  if (Array.isArray(value)) return value.length === 0 ? 'empty' : value.join(',');
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return 'empty';
    if (entries.every(([, each]) => each === entries[0][1])) return String(entries[0][1]);
    return entries.map(([key, each]) => `${key}=${String(each)}`).join(',');
  }
  return String(value);
}

export function renderEnvExample(): string {
  const lines = [
    '# Every setting the bot reads (services/config.ts). Copy to your environment or a .env file your runner loads.',
    '# An empty value means the default. Secrets are never committed: leave them empty here.',
    '',
  ];
  for (const setting of Object.values(configSchema) as SettingLike[]) {
    const scalar = ['string', 'number', 'boolean'].includes(typeof setting.default);
    lines.push(`# ${setting.doc.replace(/\.$/, '')}. Default: ${describeDefault(setting.default)}${setting.secret ? ' (secret)' : ''}`);
    // A default a shell would split or expand (spaces, quotes, $) is left empty: empty means the default anyway.
    const value = scalar && !setting.secret ? String(setting.default) : '';
    lines.push(`${setting.env}=${/^[\w.,:/@%+=*{}-]*$/.test(value) ? value : ''}`);
    lines.push('');
  }
  return lines.join('\n');
}

export const README_PATH = path.join(__dirname, '..', '..', 'README.md');
const TABLE_START = '<!-- config table: generated from services/config.ts -->';
const TABLE_END = '<!-- end of config table -->';

/** The README's table of every variable, with its default and what it does. */
export function renderReadmeConfigTable(): string {
  const rows = (Object.values(configSchema) as SettingLike[]).map((setting) => {
    const fallback = setting.secret ? 'empty (secret)' : describeDefault(setting.default);
    return `| \`${setting.env}\` | ${fallback.replace(/\|/g, '\\|')} | ${setting.doc.replace(/\|/g, '\\|')} |`;
  });
  return [TABLE_START, '| Variable | Default | What it does |', '| --- | --- | --- |', ...rows, TABLE_END].join('\n');
}

/** The table as it stands in README.md, or undefined when the markers are missing. */
export function readmeConfigTable(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  return start >= 0 && end > start ? readme.slice(start, end + TABLE_END.length) : undefined;
}

/** Regenerates both documents from the schema. */
export function writeEnvExample(): void {
  writeFileSync(ENV_EXAMPLE_PATH, renderEnvExample());
  const readme = readFileSync(README_PATH, 'utf8');
  const table = readmeConfigTable(readme);
  if (table) writeFileSync(README_PATH, readme.replace(table, renderReadmeConfigTable()));
}
