/**
 * The typed, validated configuration. The only module that reads the environment (through loadConfig's
 * argument, which index.ts passes as process.env). Each key has its variable, a default and a doc line;
 * `.env.example` is checked against this schema by a test so the two never drift.
 */
import { DomainError } from './errors';
import { OFFICE_WEEK, parseWeekHours, type WeekHours } from './handoff/weekHours';

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
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch (cause) {
    throw new DomainError('CONFIG_INVALID', `${name} must be a URL, got "${raw}"`, { cause });
  }
  // "bot.example.com:443" parses as a URL whose scheme is "bot.example.com:"; links and webhooks need http(s).
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DomainError('CONFIG_INVALID', `${name} must be an http(s) URL such as https://bot.example.com, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
};

/** A connection string with one of `schemes`; the value is never echoed (it may carry a password). */
const connectionString =
  (...schemes: string[]): Parser<string> =>
  (raw, name) => {
    if (!schemes.some((scheme) => raw.toLowerCase().startsWith(`${scheme}://`))) {
      throw new DomainError('CONFIG_INVALID', `${name} must start with ${schemes.map((scheme) => `${scheme}://`).join(' or ')}`);
    }
    return raw;
  };

/** Trimmed, and one pair of quotes around the whole value dropped: values pasted from a portal or a docker --env-file keep them. */
function unquoted(raw: string): string {
  const value = raw.trim();
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1).trim() : value;
}

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

/** "08:00-20:00" (Monday to Friday), per day "mon-fri 08:00-20:00; sat 10:00-16:00" (weekHours.ts), or "24/7". */
type StaffedHoursSetting = { week: WeekHours; alwaysOpen?: boolean };
const staffedHoursRange: Parser<StaffedHoursSetting> = (raw, name) => {
  if (/^(24\/7|always)$/i.test(raw.trim())) return { week: Array(7).fill({ startHour: 0, endHour: 24 }), alwaysOpen: true };
  const parsed = parseWeekHours(raw);
  if ('error' in parsed) {
    throw new DomainError('CONFIG_INVALID', `${name} must look like 08:00-20:00, "mon-fri 08:00-20:00; sat 10:00-16:00" or 24/7, got "${raw}": ${parsed.error}`);
  }
  return { week: parsed.week };
};

/** "2026-12-25,2026-12-26": local dates the team is off. */
const isoDates: Parser<string[]> = (raw, name) => {
  const dates = raw.split(',').map((date) => date.trim()).filter(Boolean);
  for (const date of dates) {
    // Date.parse rolls 2026-02-30 over to March; a real date reads back the same.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
      throw new DomainError('CONFIG_INVALID', `${name} must be dates like 2026-12-25,2026-12-26, got "${raw}"`);
    }
  }
  return dates;
};

const timeZoneName: Parser<string> = (raw, name) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: raw });
  } catch {
    throw new DomainError('CONFIG_INVALID', `${name} must be an IANA time zone such as Europe/London, got "${raw}"`);
  }
  return raw;
};

const setting = <T>(s: Setting<T>): Setting<T> => s;

/** "24" (every priority) or "urgent=4,high=12,normal=24,low=48" (hours; unnamed priorities keep 24). */
type HoursPerPriority = Record<'low' | 'normal' | 'high' | 'urgent', number>;
const hoursPerPriority: Parser<HoursPerPriority> = (raw, name) => {
  const out: HoursPerPriority = { low: 24, normal: 24, high: 24, urgent: 24 };
  if (/^\d+$/.test(raw.trim())) return { low: Number(raw), normal: Number(raw), high: Number(raw), urgent: Number(raw) };
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(low|normal|high|urgent)=(\d{1,4})$/.exec(part);
    if (!match || Number(match[2]) < 1) throw new DomainError('CONFIG_INVALID', `${name} must look like 24 or urgent=4,high=12,normal=24, got "${part}"`);
    out[match[1] as keyof HoursPerPriority] = Number(match[2]);
  }
  return out;
};

/** "urgent=15m/4h,high=1h/24h": first response / resolution per priority; unnamed priorities keep their default. */
type SlaOverrides = Partial<Record<'low' | 'normal' | 'high' | 'urgent', { firstResponseMs: number; resolutionMs: number }>>;
const slaOverrides: Parser<SlaOverrides> = (raw, name) => {
  const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
  const out: SlaOverrides = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(low|normal|high|urgent)=(\d+)([mhd])\/(\d+)([mhd])$/.exec(part);
    if (!match) throw new DomainError('CONFIG_INVALID', `${name} must look like urgent=15m/4h,high=1h/24h, got "${part}"`);
    out[match[1] as keyof SlaOverrides] = { firstResponseMs: Number(match[2]) * units[match[3]], resolutionMs: Number(match[4]) * units[match[5]] };
  }
  return out;
};

export const configSchema = {
  port: setting({ env: 'PORT', doc: 'HTTP port of the bot', default: 3978, parse: integer(0, 65535) }),
  publicBaseUrl: setting({
    env: 'PUBLIC_BASE_URL',
    doc: 'Public https address of this bot (links in e-mails, console; the console cookie is Secure with https). Required with MicrosoftAppId; empty in local mode: http://127.0.0.1:PORT',
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
    parse: connectionString('mongodb', 'mongodb+srv'),
    secret: true,
  }),
  mongodbDatabase: setting({ env: 'MONGODB_DATABASE', doc: 'Database name on MongoDB', default: 'socialcare', parse: text }),
  mongodbOperationTimeoutMs: setting({
    env: 'MONGODB_OPERATION_TIMEOUT_MS',
    doc: "Longest wait for MongoDB's answer to one request (ms) before it fails as unavailable; the driver retries once. Index builds at start-up may take 15 minutes",
    default: 5_000,
    parse: integer(500, 600_000),
  }),
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
    doc: 'Staffed hours told to customers and counted by SLA timers, in whole hours in SUPPORT_TIME_ZONE: 08:00-20:00 (Monday to Friday), per day mon-fri 08:00-20:00; sat 10:00-16:00 (a shift ending before it starts runs into the next morning), or 24/7',
    default: { week: OFFICE_WEEK } as StaffedHoursSetting,
    parse: staffedHoursRange,
  }),
  supportTimeZone: setting({ env: 'SUPPORT_TIME_ZONE', doc: 'IANA time zone of the support team', default: 'UTC', parse: timeZoneName }),
  supportHolidays: setting({ env: 'SUPPORT_HOLIDAYS', doc: 'Days the team is off (that day\'s shift does not happen), as local dates, e.g. 2026-12-25,2026-12-26', default: [] as string[], parse: isoDates }),
  slaClock: setting({
    env: 'SLA_CLOCK',
    doc: 'What SLA timers count: business_hours = only staffed time (SUPPORT_HOURS, SUPPORT_HOLIDAYS), calendar = every hour, day and night',
    default: 'business_hours' as 'business_hours' | 'calendar',
    parse: oneOf('business_hours', 'calendar'),
  }),
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
  turnLeases: setting({
    env: 'TURN_LEASES',
    doc: "Order one conversation's turns across instances sharing a database with a lease in the store: auto = with MongoDB only (the embedded store is one process)",
    default: 'auto' as 'auto' | 'on' | 'off',
    parse: oneOf('auto', 'on', 'off'),
  }),
  liveRelay: setting({
    env: 'LIVE_RELAY',
    doc: "Pass the agent console's live updates between instances sharing a database, through the store: auto = with MongoDB only (the embedded store is one process)",
    default: 'auto' as 'auto' | 'on' | 'off',
    parse: oneOf('auto', 'on', 'off'),
  }),
  liveRelayPollMs: setting({ env: 'LIVE_RELAY_POLL_MS', doc: 'How often each instance reads the live updates other instances relayed (ms)', default: 500, parse: integer(20, 10_000) }),
  connectorTimeoutMs: setting({
    env: 'CONNECTOR_TIMEOUT_MS',
    doc: "How long one reply to the channel (Bot Connector) may take before the turn gives up on it; it is never sent again, as it may have arrived (the channel itself waits 15 s for the whole turn)",
    default: 10_000,
    parse: integer(100, 60_000),
  }),
  maxBodyBytes: setting({ env: 'MAX_BODY_BYTES', doc: 'Largest request body accepted', default: 1_048_576, parse: integer(1024, 50_000_000) }),
  // Agent console, handoff and escalation (services/agents, services/handoff).
  slaPolicies: setting({
    env: 'SLA_POLICIES',
    doc: 'SLA overrides per priority, first response/resolution, e.g. urgent=15m/4h,high=1h/24h (others keep defaults)',
    default: {} as SlaOverrides,
    parse: slaOverrides,
  }),
  publicReachPrioritySteps: setting({
    env: 'PUBLIC_REACH_PRIORITY_STEPS',
    doc: 'Priority steps a public post with a large reach adds (0 or 1: public visibility never buys more than one)',
    default: 0 as 0 | 1,
    parse: (raw, name) => integer(0, 1)(raw, name) as 0 | 1,
  }),
  publicReachThreshold: setting({
    env: 'PUBLIC_REACH_THRESHOLD',
    doc: 'Followers or impressions at which a public post earns its priority step',
    default: 10_000,
    parse: integer(1, 1_000_000_000),
  }),
  handoffMode: setting({
    env: 'HANDOFF_MODE',
    doc: 'console = built-in agent console at /agent; external = send Bot Framework handoff.initiate to an agent hub',
    default: 'console' as 'console' | 'external',
    parse: oneOf('console', 'external'),
  }),
  agentIdleMinutes: setting({ env: 'AGENT_IDLE_MINUTES', doc: 'An agent silent this long in a held conversation returns it to the queue', default: 10, parse: integer(1, 1440) }),
  escalationMarginMinutes: setting({ env: 'ESCALATION_MARGIN_MINUTES', doc: 'Escalate a tier when an SLA timer is this close to breaching', default: 15, parse: integer(0, 1440) }),
  queueMinutesPerPlace: setting({ env: 'QUEUE_MINUTES_PER_PLACE', doc: 'Rough wait told to customers per place in the queue', default: 4, parse: integer(1, 240) }),
  handoffSweepSeconds: setting({ env: 'HANDOFF_SWEEP_SECONDS', doc: 'How often idle holds and SLA escalations are checked', default: 30, parse: integer(1, 3600) }),
  sessionTtlHours: setting({ env: 'SESSION_TTL_HOURS', doc: 'Agent console sign-in lifetime', default: 12, parse: integer(1, 720) }),
  agentBootstrapEmail: setting({ env: 'AGENT_BOOTSTRAP_EMAIL', doc: 'Local mode only: creates this supervisor at start-up when no agent account exists', default: '', parse: text }),
  agentBootstrapPassword: setting({ env: 'AGENT_BOOTSTRAP_PASSWORD', doc: 'Local mode only: password of the bootstrap supervisor (12+ characters)', default: '', parse: text, secret: true }),
  shutdownGraceMs: setting({
    env: 'SHUTDOWN_GRACE_MS',
    doc: 'How long SIGTERM waits for turns in flight',
    default: 10_000,
    parse: integer(0, 120_000),
  }),
  // Proactive follow-ups (services/followUps, issue 4).
  smtpUrl: setting({ env: 'SMTP_URL', doc: 'SMTP server for follow-up e-mails, e.g. smtps://user:pass@smtp.example.com:465. Empty = no e-mail route', default: '', parse: connectionString('smtp', 'smtps'), secret: true }),
  mailFrom: setting({ env: 'MAIL_FROM', doc: 'Sender of follow-up e-mails, e.g. "Acme Support <support@acme.example>"', default: '', parse: text }),
  smsApiBaseUrl: setting({ env: 'SMS_API_BASE_URL', doc: 'Base URL of the SMS provider (Twilio REST API shape; tests point it at a loopback fake)', default: 'https://api.twilio.com', parse: url }),
  smsAccountSid: setting({ env: 'SMS_ACCOUNT_SID', doc: 'SMS provider account SID. Empty = no SMS route', default: '', parse: text }),
  smsAuthToken: setting({ env: 'SMS_AUTH_TOKEN', doc: 'SMS provider auth token; also checks X-Twilio-Signature on POST /api/sms/inbound (customers\' SMS replies) and POST /api/sms/status (delivery reports: an undelivered follow-up SMS goes again by e-mail), signed over PUBLIC_BASE_URL. Each follow-up SMS asks for delivery reports at PUBLIC_BASE_URL/api/sms/status; with PUBLIC_BASE_URL unset (local mode) or a loopback address none are asked for. Empty = those doors answer 503', default: '', parse: text, secret: true }),
  smsFrom: setting({ env: 'SMS_FROM', doc: 'Sender number (E.164) or messaging service id of follow-up SMS', default: '', parse: text }),
  followUpCheckInHours: setting({ env: 'FOLLOW_UP_CHECK_IN_HOURS', doc: 'Check in after this many hours without news: 24, or per priority urgent=4,high=12,normal=24,low=48. Under SLA_CLOCK=business_hours a check-in that would fall due outside SUPPORT_HOURS moves to when the team is back', default: { low: 24, normal: 24, high: 24, urgent: 24 } as HoursPerPriority, parse: hoursPerPriority }),
  quietHours: setting({ env: 'QUIET_HOURS', doc: "No follow-ups (except resolutions) in these hours of the customer's time zone (else SUPPORT_TIME_ZONE); 00:00-00:00 = off", default: { startHour: 21, endHour: 8 }, parse: hoursRange }),
  followUpNewsSettleSeconds: setting({ env: 'FOLLOW_UP_NEWS_SETTLE_SECONDS', doc: 'News is told this many seconds after the latest change, so a status change and the note typed right after it reach the customer as one message (0 = at once)', default: 90, parse: integer(0, 3600) }),
  csatDelayMinutes: setting({ env: 'CSAT_DELAY_MINUTES', doc: "The satisfaction question comes this many minutes after the resolution notice (0 = with it), and never in quiet hours: the customer can first say it is not sorted", default: 60, parse: integer(0, 10_080) }),
  csatReopenDays: setting({ env: 'CSAT_REOPEN_DAYS', doc: 'A customer reply this many days after resolution reopens the ticket instead of starting a new one', default: 7, parse: integer(0, 90) }),
  followUpSweepMs: setting({ env: 'FOLLOW_UP_SWEEP_MS', doc: 'How often the follow-up sweeper looks for due follow-ups (0 = no background sweeper)', default: 30_000, parse: integer(0, 3_600_000) }),
  followUpLeaseMs: setting({ env: 'FOLLOW_UP_LEASE_MS', doc: 'How long a sweeper holds a claimed ticket; a crashed claim is retried after it', default: 300_000, parse: integer(1000, 3_600_000) }),
  followUpBatchSize: setting({ env: 'FOLLOW_UP_BATCH_SIZE', doc: 'Due tickets fetched per query by the sweeper', default: 500, parse: integer(1, 10_000) }),
  followUpConcurrency: setting({ env: 'FOLLOW_UP_CONCURRENCY', doc: 'Follow-ups sent in parallel by one sweeper', default: 16, parse: integer(1, 256) }),
  followUpSendTimeoutMs: setting({ env: 'FOLLOW_UP_SEND_TIMEOUT_MS', doc: 'Timeout of one send (DM, e-mail, SMS); a timed-out send is never repeated on the same route', default: 15_000, parse: integer(100, 120_000) }),
  followUpRetryAttempts: setting({ env: 'FOLLOW_UP_RETRY_ATTEMPTS', doc: 'Tries per route on 429/5xx/connection errors, with exponential backoff', default: 3, parse: integer(1, 10) }),
  followUpRoutePatienceMinutes: setting({ env: 'FOLLOW_UP_ROUTE_PATIENCE_MINUTES', doc: "How long a brief failure (SMTP 4xx, SMS 429/5xx) of the customer's first route is retried there (after 5, 15, then every 45 minutes) before another route is used; 0 = use the next route at once", default: 120, parse: integer(0, 1440) }),
  followUpNewsRoutePatienceMinutes: setting({ env: 'FOLLOW_UP_NEWS_ROUTE_PATIENCE_MINUTES', doc: 'The same for status updates, resolutions and closings, whose news gets stale sooner', default: 30, parse: integer(0, 1440) }),
  ticketEventsApiKey: setting({ env: 'TICKET_EVENTS_API_KEY', doc: 'API key (x-api-key header) of POST /api/tickets/:ref/events for operators and order systems. Empty = door answers 503', default: '', parse: text, secret: true }),
  // Listening, crisis, reports and privacy (issue 6).
  listeningKeywords: setting({ env: 'LISTENING_KEYWORDS', doc: 'Comma-separated words tracked as spike topics (e.g. refund,courier)', default: [] as string[], parse: (raw) => raw.split(',').map((word) => word.trim().toLowerCase()).filter(Boolean) }),
  listeningProducts: setting({ env: 'LISTENING_PRODUCTS', doc: 'Comma-separated product names tracked as spike topics', default: [] as string[], parse: (raw) => raw.split(',').map((word) => word.trim().toLowerCase()).filter(Boolean) }),
  listeningTickSeconds: setting({ env: 'LISTENING_TICK_SECONDS', doc: 'How often the spike evaluation job looks at the archive', default: 60, parse: integer(1, 3600) }),
  spikeBucketMinutes: setting({ env: 'SPIKE_BUCKET_MINUTES', doc: 'Width of one rolling-count window of complaint posts', default: 15, parse: integer(1, 1440) }),
  spikeEwmaAlphaPercent: setting({ env: 'SPIKE_EWMA_ALPHA_PERCENT', doc: 'Weight (1-100 %) of the newest window in the adaptive baseline (EWMA)', default: 10, parse: integer(1, 100) }),
  spikeZThreshold: setting({ env: 'SPIKE_Z_THRESHOLD', doc: 'Standard deviations above the baseline that count as a spike', default: 4, parse: integer(1, 100) }),
  spikeMinCount: setting({ env: 'SPIKE_MIN_COUNT', doc: 'Fewest complaint posts in a window before a topic can spike', default: 10, parse: integer(1, 1_000_000) }),
  spikeMinRatio: setting({ env: 'SPIKE_MIN_RATIO', doc: 'A spike is also at least this many times the baseline', default: 2, parse: integer(1, 1000) }),
  spikeWarmupBuckets: setting({ env: 'SPIKE_WARMUP_BUCKETS', doc: 'Windows of history needed before any spike alert', default: 8, parse: integer(1, 10_000) }),
  spikeCooldownMinutes: setting({ env: 'SPIKE_COOLDOWN_MINUTES', doc: 'Quiet time after an alert before the same topic alerts again', default: 60, parse: integer(0, 10_080) }),
  spikeSubsideWindows: setting({ env: 'SPIKE_SUBSIDE_WINDOWS', doc: 'Consecutive windows back near the usual level before a spike alert counts as subsided (and its automatic crisis mode ends)', default: 2, parse: integer(1, 96) }),
  reachAlertImpressions: setting({ env: 'REACH_ALERT_IMPRESSIONS', doc: 'One complaint post with this many impressions (or followers) raises an alert (0 = off)', default: 25_000, parse: integer(0, 2_000_000_000) }),
  reachAlertWindowHours: setting({ env: 'REACH_ALERT_WINDOW_HOURS', doc: 'Only posts younger than this raise reach alerts', default: 6, parse: integer(1, 720) }),
  alertWebhookUrl: setting({ env: 'ALERT_WEBHOOK_URL', doc: 'Teams or Slack incoming-webhook URL for listening alerts (empty = console only)', default: '', parse: url, secret: true }),
  alertWebhookFormat: setting({ env: 'ALERT_WEBHOOK_FORMAT', doc: 'Payload format of ALERT_WEBHOOK_URL: slack or teams', default: 'slack' as 'slack' | 'teams', parse: oneOf('slack', 'teams') }),
  alertWebhookTimeoutMs: setting({ env: 'ALERT_WEBHOOK_TIMEOUT_MS', doc: 'Timeout of one webhook call (3 attempts with backoff)', default: 5000, parse: integer(100, 60_000) }),
  crisisAutoZThreshold: setting({ env: 'CRISIS_AUTO_Z_THRESHOLD', doc: 'A spike this many deviations high switches crisis mode on for its topic (0 = never automatic)', default: 8, parse: integer(0, 1000) }),
  crisisAutoMinCount: setting({ env: 'CRISIS_AUTO_MIN_COUNT', doc: 'Fewest complaint posts in a window for automatic crisis mode', default: 50, parse: integer(1, 1_000_000) }),
  crisisAutoHours: setting({ env: 'CRISIS_AUTO_HOURS', doc: 'Automatic crisis mode ends after this many hours unless a supervisor keeps it', default: 24, parse: integer(1, 720) }),
  crisisPublicRepliesPerHour: setting({ env: 'CRISIS_PUBLIC_REPLIES_PER_HOUR', doc: 'Public one-by-one replies allowed per hour on a topic in crisis mode (DMs and tickets continue)', default: 20, parse: integer(0, 100_000) }),
  crisisHoldingStatement: setting({ env: 'CRISIS_HOLDING_STATEMENT', doc: 'Holding statement suggested (or posted) once when a topic enters crisis mode; {topic} and {brand} are filled in', default: "We know many of you are affected by {topic}. We're on it and will post updates here. If you need help with your order, DM us and we'll look after you personally. – {brand}", parse: text }),
  retentionDays: setting({ env: 'RETENTION_DAYS', doc: 'Personal data of tickets resolved or closed this many days ago is erased by a background job (0 = keep)', default: 365, parse: integer(0, 36_500) }),
  retentionSweepMinutes: setting({ env: 'RETENTION_SWEEP_MINUTES', doc: 'How often the retention job runs', default: 60, parse: integer(1, 10_080) }),
  // Public-to-DM handoff (services/social). An area whose secrets are empty does not register its routes.
  xConsumerSecret: setting({ env: 'X_CONSUMER_SECRET', doc: 'X app consumer secret: signs the Account Activity webhook (CRC, x-twitter-webhooks-signature). Empty = X webhook off', default: '', parse: text, secret: true }),
  xBearerToken: setting({ env: 'X_BEARER_TOKEN', doc: 'X API app-only bearer token (reads: mentions polling)', default: '', parse: text, secret: true }),
  xUserAccessToken: setting({ env: 'X_USER_ACCESS_TOKEN', doc: 'X OAuth 2.0 user-context token of the brand account (tweet.write, dm.write): public replies and DMs. Empty = X_BEARER_TOKEN', default: '', parse: text, secret: true }),
  xBrandUserId: setting({ env: 'X_BRAND_USER_ID', doc: "The brand's X user id (recipient of DM links; its own posts and DMs are ignored)", default: '', parse: text }),
  xBrandHandle: setting({ env: 'X_BRAND_HANDLE', doc: "The brand's X handle without @ (a post naming it is addressed to the brand)", default: '', parse: (raw) => raw.trim().replace(/^@/, '') }),
  xApiBaseUrl: setting({ env: 'X_API_BASE_URL', doc: 'Base URL of the X API (tests point it at a loopback fake)', default: 'https://api.x.com', parse: url }),
  xMentionsPollMs: setting({ env: 'X_MENTIONS_POLL_MS', doc: 'Poll GET /2/users/:id/mentions this often, for accounts without webhook access (0 = off; needs X_BEARER_TOKEN and X_BRAND_USER_ID)', default: 0, parse: integer(0, 86_400_000) }),
  metaAppSecret: setting({ env: 'META_APP_SECRET', doc: 'Meta app secret: verifies X-Hub-Signature-256 on the Graph webhook. Empty = Meta webhook off', default: '', parse: text, secret: true }),
  metaVerifyToken: setting({ env: 'META_VERIFY_TOKEN', doc: 'Token Meta echoes in hub.verify_token when subscribing the webhook', default: '', parse: text, secret: true }),
  metaPageId: setting({ env: 'META_PAGE_ID', doc: 'Facebook Page id (Private Replies are sent from it; its own comments are ignored)', default: '', parse: text }),
  metaPageAccessToken: setting({ env: 'META_PAGE_ACCESS_TOKEN', doc: 'Page access token (pages_messaging, pages_manage_engagement, instagram_manage_comments, instagram_manage_messages; Human Agent feature for agent replies after 24 h)', default: '', parse: text, secret: true }),
  metaGraphBaseUrl: setting({ env: 'META_GRAPH_BASE_URL', doc: 'Base URL of the Graph API including its version (tests point it at a loopback fake)', default: 'https://graph.facebook.com/v21.0', parse: url }),
  metaPageUsername: setting({ env: 'META_PAGE_USERNAME', doc: 'Page username for m.me/<username>?ref=<token> links (empty = the page id)', default: '', parse: text }),
  instagramAccountId: setting({ env: 'INSTAGRAM_ACCOUNT_ID', doc: 'Instagram professional account id: its comments and DMs are answered (with META_PAGE_ACCESS_TOKEN), its own are ignored', default: '', parse: text }),
  instagramUsername: setting({ env: 'INSTAGRAM_USERNAME', doc: 'Instagram username for ig.me/m/<username>?ref=<token> links (empty = no link, the Private Reply alone)', default: '', parse: text }),
  dmLinkSecret: setting({ env: 'DM_LINK_SECRET', doc: 'HMAC secret (16+ characters) signing DM-link reference tokens. Required outside local mode when a social area is on; in local mode empty = a random secret per process (links die on restart)', default: '', parse: text, secret: true }),
  dmLinkTtlHours: setting({ env: 'DM_LINK_TTL_HOURS', doc: 'How long a DM link token stays valid (Private Replies are allowed for 7 days)', default: 168, parse: integer(1, 2160) }),
  webhookMaxAgeHours: setting({ env: 'WEBHOOK_MAX_AGE_HOURS', doc: "X and Meta webhook events dated longer ago than this are acknowledged and not handled (replays of captured bodies: the platforms sign no timestamp); handled ids are remembered this long plus an hour. 48 covers Meta's 36 hours of retries; raise it while X replays an outage (Account Activity Replay)", default: 48, parse: integer(1, 720) }),
  socialMentionsApiKey: setting({ env: 'SOCIAL_MENTIONS_API_KEY', doc: 'API key of POST /api/social/mentions (x-api-key header) for other listening tools. Empty = door off', default: '', parse: text, secret: true }),
  socialReplyOncePerAuthorHours: setting({ env: 'SOCIAL_REPLY_ONCE_PER_AUTHOR_HOURS', doc: 'A customer whose post we answered publicly is not answered again for this many hours (the DM carries on); 0 = answer every post that needs care', default: 24, parse: integer(0, 168) }),
  socialRecentPostDays: setting({ env: 'SOCIAL_RECENT_POST_DAYS', doc: "A first DM from someone whose public post needed care this many days ago links to it without a token", default: 3, parse: integer(0, 30) }),
  socialReplyIntervalMs: setting({ env: 'SOCIAL_REPLY_INTERVAL_MS', doc: 'Pacing: least time between two public replies/Private Replies from the reply queue', default: 2000, parse: integer(0, 600_000) }),
  socialReplyMaxAttempts: setting({ env: 'SOCIAL_REPLY_MAX_ATTEMPTS', doc: 'Attempts before a queued reply is parked as failed for a person to look at (waiting for a rate-limit reset is not an attempt; a reply is parked after 24 h of such waiting in all)', default: 8, parse: integer(1, 100) }),
  socialApiTimeoutMs: setting({ env: 'SOCIAL_API_TIMEOUT_MS', doc: 'Timeout of one X/Graph API call', default: 10_000, parse: integer(100, 120_000) }),
  socialCareWords: setting({ env: 'SOCIAL_CARE_WORDS', doc: 'Comma-separated extra words that make a post a complaint (added to the defaults)', default: [] as string[], parse: (raw) => raw.split(',').map((w) => w.trim()).filter(Boolean) }),
  socialPraiseWords: setting({ env: 'SOCIAL_PRAISE_WORDS', doc: 'Comma-separated extra praise words', default: [] as string[], parse: (raw) => raw.split(',').map((w) => w.trim()).filter(Boolean) }),
  socialSpamWords: setting({ env: 'SOCIAL_SPAM_WORDS', doc: 'Comma-separated extra spam phrases (never answered)', default: [] as string[], parse: (raw) => raw.split(',').map((w) => w.trim()).filter(Boolean) }),
  socialProducts: setting({ env: 'SOCIAL_PRODUCTS', doc: 'Comma-separated product names recorded as topic hints on archived posts', default: [] as string[], parse: (raw) => raw.split(',').map((w) => w.trim()).filter(Boolean) }),
};

type Schema = typeof configSchema;
export type Config = { [K in keyof Schema]: Schema[K] extends Setting<infer T> ? T : never };

/** Reads and validates every setting; throws one DomainError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(configSchema) as Array<[string, Setting<unknown>]>) {
    const raw = unquoted(env[s.env] ?? '');
    if (raw === '') {
      values[key] = s.default;
      continue;
    }
    try {
      values[key] = s.parse(raw, s.env);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Start-up messages go to logs: a secret's value is never echoed.
      problems.push(s.secret ? message.split(`"${raw}"`).join('(value hidden)') : message);
    }
  }
  problems.push(...appCredentialProblems(values));
  if (problems.length > 0) {
    throw new DomainError('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const config = values as Config;
  if (!config.publicBaseUrl) config.publicBaseUrl = `http://127.0.0.1:${config.port}`;
  return config;
}

/** Half a set of Azure Bot credentials either runs unauthenticated (no app id: local mode) or fails every reply at run time. */
function appCredentialProblems(values: Record<string, unknown>): string[] {
  const { microsoftAppId: id, microsoftAppPassword: password, microsoftAppType: type, microsoftAppTenantId: tenant, publicBaseUrl } = values;
  if (!id) {
    return password || tenant
      ? ['MicrosoftAppId must be set when MicrosoftAppPassword or MicrosoftAppTenantId is (without it the bot runs in local mode and accepts unauthenticated activities)']
      : [];
  }
  const problems: string[] = [];
  if (type !== 'UserAssignedMSI' && !password) problems.push(`MicrosoftAppPassword must be set when MicrosoftAppId is (the client secret of a ${String(type)} app)`);
  if (type !== 'MultiTenant' && !tenant) problems.push(`MicrosoftAppTenantId must be set when MicrosoftAppType is ${String(type)}`);
  // Deployed behind Azure Bot Service, 127.0.0.1 would go out in DM links and e-mails, and the console cookie would lose Secure.
  if (!publicBaseUrl) problems.push('PUBLIC_BASE_URL must be set (the public https address of this bot) when MicrosoftAppId is set');
  else if (typeof publicBaseUrl === 'string' && publicBaseUrl.startsWith('http:')) problems.push(`PUBLIC_BASE_URL must be https when MicrosoftAppId is set (Azure Bot Service calls https only; the console cookie needs it), got "${publicBaseUrl}"`);
  return problems;
}

export function isLocalMode(config: Config): boolean {
  return config.microsoftAppId === '';
}

/** Whether an across-instances setting (TURN_LEASES, LIVE_RELAY) is in effect: on, or auto with MongoDB (the embedded store is one process). */
export function acrossInstances(setting: Config['turnLeases' | 'liveRelay'], engine: string): boolean {
  return setting === 'on' || (setting === 'auto' && engine === 'mongodb');
}

/** The non-secret settings, for the start-up log line. */
export function describeConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(configSchema) as Array<[keyof Config, Setting<unknown>]>) {
    out[key] = s.secret ? (config[key] ? '(set)' : '(empty)') : config[key];
  }
  return out;
}
