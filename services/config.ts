/**
 * The typed, validated configuration. The only module that reads the environment (through loadConfig's
 * argument, which index.ts passes as process.env). Each key has its variable, a default and a doc line;
 * `.env.example` is checked against this schema by a test so the two never drift.
 */
import { DomainError } from './errors';

type Parser<T> = (raw: string, name: string) => T;

interface Setting<T> {
  env: string;
  doc: string;
  default: T;
  parse: Parser<T>;
  /** Never printed (config summary at start-up). */
  secret?: boolean;
}

const text: Parser<string> = (raw) => raw.trim();

const integer =
  (min: number, max: number): Parser<number> =>
  (raw, name) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new DomainError('CONFIG_INVALID', `${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };

const oneOf =
  <T extends string>(...allowed: T[]): Parser<T> =>
  (raw, name) => {
    if (!allowed.includes(raw as T)) {
      throw new DomainError('CONFIG_INVALID', `${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  };

const regexSource: Parser<string> = (raw, name) => {
  try {
    new RegExp(raw);
  } catch (cause) {
    throw new DomainError('CONFIG_INVALID', `${name} is not a valid regular expression: ${raw}`, { cause });
  }
  return raw;
};

const url: Parser<string> = (raw, name) => {
  if (raw === '') return raw;
  try {
    new URL(raw);
  } catch (cause) {
    throw new DomainError('CONFIG_INVALID', `${name} must be a URL, got "${raw}"`, { cause });
  }
  return raw.replace(/\/+$/, '');
};

const boolean: Parser<boolean> = (raw, name) => {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new DomainError('CONFIG_INVALID', `${name} must be true or false, got "${raw}"`);
};

const hoursRange: Parser<{ startHour: number; endHour: number }> = (raw, name) => {
  const match = /^(\d{1,2}):00-(\d{1,2}):00$/.exec(raw.trim());
  const startHour = Number(match?.[1]);
  const endHour = Number(match?.[2]);
  if (!match || startHour > 23 || endHour > 23) {
    throw new DomainError('CONFIG_INVALID', `${name} must look like 21:00-08:00, got "${raw}"`);
  }
  return { startHour, endHour };
};

const setting = <T>(s: Setting<T>): Setting<T> => s;

export const configSchema = {
  port: setting({ env: 'PORT', doc: 'HTTP port of the bot', default: 3978, parse: integer(0, 65535) }),
  publicBaseUrl: setting({
    env: 'PUBLIC_BASE_URL',
    doc: 'Public https address of this bot (links in e-mails, console). Empty in local mode: http://127.0.0.1:PORT',
    default: '',
    parse: url,
  }),
  microsoftAppId: setting({
    env: 'MicrosoftAppId',
    doc: 'Azure Bot app id. Empty = local mode: unauthenticated activities accepted (Emulator, Web Chat try-it page)',
    default: '',
    parse: text,
  }),
  microsoftAppPassword: setting({ env: 'MicrosoftAppPassword', doc: 'Azure Bot client secret', default: '', parse: text, secret: true }),
  microsoftAppType: setting({
    env: 'MicrosoftAppType',
    doc: 'MultiTenant, SingleTenant or UserAssignedMSI',
    default: 'MultiTenant' as 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI',
    parse: oneOf('MultiTenant', 'SingleTenant', 'UserAssignedMSI'),
  }),
  microsoftAppTenantId: setting({ env: 'MicrosoftAppTenantId', doc: 'Tenant id for SingleTenant/MSI bots', default: '', parse: text }),
  mongodbUri: setting({
    env: 'MONGODB_URI',
    doc: 'MongoDB connection string. Empty = embedded file store under DATA_DIR',
    default: '',
    parse: text,
    secret: true,
  }),
  mongodbDatabase: setting({ env: 'MONGODB_DATABASE', doc: 'Database name on MongoDB', default: 'socialcare', parse: text }),
  dataDir: setting({ env: 'DATA_DIR', doc: 'Folder of the embedded store (NeDB files)', default: './data', parse: text }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    doc: 'pino log level',
    default: 'info' as 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  }),
  brandName: setting({ env: 'BRAND_NAME', doc: 'Brand name the bot speaks for', default: 'Acme', parse: text }),
  ticketPrefix: setting({
    env: 'TICKET_PREFIX',
    doc: 'Prefix of ticket references (CS-7K3M9Q)',
    default: 'CS',
    parse: (raw, name) => {
      if (!/^[A-Z]{1,5}$/.test(raw)) throw new DomainError('CONFIG_INVALID', `${name} must be 1-5 capital letters, got "${raw}"`);
      return raw;
    },
  }),
  orderNumberPattern: setting({
    env: 'ORDER_NUMBER_PATTERN',
    doc: 'Regex source of a valid order number. Empty = 2-4 letters, optional dash, 6-10 digits; or 6-12 digits',
    default: '',
    parse: regexSource,
  }),
  defaultPhoneRegion: setting({
    env: 'DEFAULT_PHONE_REGION',
    doc: 'ISO country used to read phone numbers written without +country code',
    default: 'US',
    parse: (raw, name) => {
      if (!/^[A-Z]{2}$/.test(raw)) throw new DomainError('CONFIG_INVALID', `${name} must be a two-letter country code, got "${raw}"`);
      return raw;
    },
  }),
  supportHours: setting({
    env: 'SUPPORT_HOURS',
    doc: 'Staffed hours told to customers, in SUPPORT_TIME_ZONE, Monday to Friday',
    default: { startHour: 8, endHour: 20 },
    parse: hoursRange,
  }),
  supportTimeZone: setting({ env: 'SUPPORT_TIME_ZONE', doc: 'IANA time zone of the support team', default: 'UTC', parse: text }),
  localDirectLinePort: setting({
    env: 'LOCAL_DIRECTLINE_PORT',
    doc: 'Local mode only: port of the bundled Direct Line emulator used by the try-it page (0 = any free port)',
    default: 3000,
    parse: integer(0, 65535),
  }),
  localTryIt: setting({
    env: 'LOCAL_TRY_IT',
    doc: 'Local mode only: serve the Web Chat try-it page at / and start the local Direct Line',
    default: true,
    parse: boolean,
  }),
  maxBodyBytes: setting({ env: 'MAX_BODY_BYTES', doc: 'Largest request body accepted', default: 1_048_576, parse: integer(1024, 50_000_000) }),
  shutdownGraceMs: setting({
    env: 'SHUTDOWN_GRACE_MS',
    doc: 'How long SIGTERM waits for turns in flight',
    default: 10_000,
    parse: integer(0, 120_000),
  }),
};

type Schema = typeof configSchema;
export type Config = { [K in keyof Schema]: Schema[K] extends Setting<infer T> ? T : never };

/** Reads and validates every setting; throws one DomainError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(configSchema) as Array<[string, Setting<unknown>]>) {
    const raw = env[s.env];
    if (raw === undefined || raw === '') {
      values[key] = s.default;
      continue;
    }
    try {
      values[key] = s.parse(raw, s.env);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) {
    throw new DomainError('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const config = values as Config;
  if (!config.publicBaseUrl) config.publicBaseUrl = `http://127.0.0.1:${config.port}`;
  return config;
}

export function isLocalMode(config: Config): boolean {
  return config.microsoftAppId === '';
}

/** The non-secret settings, for the start-up log line. */
export function describeConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(configSchema) as Array<[keyof Config, Setting<unknown>]>) {
    out[key] = s.secret ? (config[key] ? '(set)' : '(empty)') : config[key];
  }
  return out;
}
