/**
 * The one way this area calls X and the Graph API: JSON over fetch with a timeout, retries with
 * exponential backoff and jitter, and the platform's rate-limit headers read on every answer
 * (`x-rate-limit-remaining/-reset`, 429 with reset). Graph throttles with 400/403 and error codes 4, 17,
 * 32, 613 (not 429): those are rate limits too. Errors carry a code, the status and the cause.
 */
export interface RateLimit {
  limit?: number;
  remaining?: number;
  resetAt?: Date;
}

export interface PlatformResponse<T> {
  status: number;
  body: T;
  rateLimit: RateLimit;
}

/** `PLATFORM_OUTCOME_UNKNOWN`: a write may or may not have gone out and nobody could tell; a person checks, nothing resends. */
export type PlatformErrorCode = 'PLATFORM_RATE_LIMITED' | 'PLATFORM_UNAVAILABLE' | 'PLATFORM_REJECTED' | 'PLATFORM_OUTCOME_UNKNOWN';

export class PlatformError extends Error {
  constructor(
    readonly code: PlatformErrorCode,
    message: string,
    readonly status?: number,
    /** When the platform says it is worth trying again (429 reset, Retry-After). */
    readonly retryAt?: Date,
    readonly body?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlatformError';
  }

  get retryable(): boolean {
    return this.code !== 'PLATFORM_REJECTED' && this.code !== 'PLATFORM_OUTCOME_UNKNOWN';
  }

  /** The Graph API's `error.code`, when the body carries one. */
  get graphCode(): number | undefined {
    return graphErrorOf(this.body)?.code;
  }
}

/** Connection errors that prove the request never left: anything else after sending may have been applied. */
const NEVER_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

/**
 * A write whose outcome is unknown: a gateway error (502/504) or no answer at all (timeout, reset) after
 * the request was sent. Resending such a write can post it twice on a platform without idempotency (Graph).
 */
export function isOutcomeUnknown(error: unknown): error is PlatformError {
  if (!(error instanceof PlatformError) || error.code !== 'PLATFORM_UNAVAILABLE') return false;
  if (error.status !== undefined) return error.status === 502 || error.status === 504;
  const cause = error.cause as { cause?: { code?: unknown } } | undefined;
  return !NEVER_SENT.includes(String(cause?.cause?.code ?? ''));
}

/** Graph's throttling codes: 4 app, 17 user, 32 page, 613 call-rate (plus 80001-80014 business use case). */
const GRAPH_RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const GRAPH_DEFAULT_PAUSE_MS = 60_000;

interface GraphErrorBody {
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
}

function graphErrorOf(body: unknown): GraphErrorBody | undefined {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'object' && error !== null ? (error as GraphErrorBody) : undefined;
}

function isGraphRateLimit(error: GraphErrorBody | undefined): boolean {
  return typeof error?.code === 'number' && (GRAPH_RATE_LIMIT_CODES.has(error.code) || (error.code >= 80001 && error.code <= 80014));
}

/** Graph's own estimate (`x-business-use-case-usage` … `estimated_time_to_regain_access`, minutes), when it gives one. */
function graphRegainAccessMs(headers: Headers): number | undefined {
  const raw = headers.get('x-business-use-case-usage');
  if (!raw) return undefined;
  try {
    const usage = JSON.parse(raw) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>;
    const minutes = Math.max(0, ...Object.values(usage).flat().map((entry) => Number(entry.estimated_time_to_regain_access) || 0));
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}

export interface PlatformHttpOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Extra attempts after the first; 0 when a durable queue does the retrying. */
  retries?: number;
  /** Longest wait for a rate-limit reset inside one call; longer waits are left to the caller. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface PlatformRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  token: string;
  retries?: number;
  /** A write without an idempotency key: retried only when it surely did not arrive (never after a timeout or 502/504). */
  writeOnce?: boolean;
}

const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 8_000;

export class PlatformHttp {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: PlatformHttpOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  async call<T>(request: PlatformRequest): Promise<PlatformResponse<T>> {
    const retries = request.retries ?? this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(request);
      } catch (error) {
        const failure = error as PlatformError;
        if (!failure.retryable || attempt >= retries || (request.writeOnce && isOutcomeUnknown(failure))) throw failure;
        const backoff = Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS) * (0.5 + Math.random() / 2);
        const untilReset = failure.retryAt ? failure.retryAt.getTime() - this.now() : 0;
        if (untilReset > (this.options.maxWaitMs ?? 15_000)) throw failure;
        await this.sleep(Math.max(backoff, untilReset));
      }
    }
  }

  private async once<T>(request: PlatformRequest): Promise<PlatformResponse<T>> {
    const url = new URL(`${this.options.baseUrl}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${request.token}`,
          accept: 'application/json',
          ...(request.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (cause) {
      throw new PlatformError('PLATFORM_UNAVAILABLE', `${request.method} ${request.path}: no answer (${(cause as Error).name})`, undefined, undefined, undefined, { cause });
    }
    const rateLimit = readRateLimit(response.headers);
    const raw = await response.text().catch(() => '');
    const body = parseJson(raw);
    if (response.ok) return { status: response.status, body: body as T, rateLimit };
    const message = `${request.method} ${request.path} answered ${response.status}`;
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after'));
      const retryAt = rateLimit.resetAt ?? new Date(this.now() + (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000));
      throw new PlatformError('PLATFORM_RATE_LIMITED', message, 429, retryAt, body);
    }
    const graphError = graphErrorOf(body);
    if (isGraphRateLimit(graphError)) {
      const retryAt = new Date(this.now() + Math.max(GRAPH_DEFAULT_PAUSE_MS, graphRegainAccessMs(response.headers) ?? 0));
      throw new PlatformError('PLATFORM_RATE_LIMITED', `${message} (Graph throttling, code ${graphError?.code})`, response.status, retryAt, body);
    }
    // Graph marks a passing failure as such: it was not applied, so trying again later is safe.
    if (graphError?.is_transient === true) throw new PlatformError('PLATFORM_UNAVAILABLE', `${message} (transient, code ${graphError.code})`, response.status, undefined, body);
    if (response.status >= 500 || response.status === 408) throw new PlatformError('PLATFORM_UNAVAILABLE', message, response.status, undefined, body);
    throw new PlatformError('PLATFORM_REJECTED', message, response.status, undefined, body);
  }
}

export function readRateLimit(headers: Headers): RateLimit {
  const number = (name: string) => {
    const value = headers.get(name);
    return value === null || value === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);
  };
  const reset = number('x-rate-limit-reset');
  return {
    ...(number('x-rate-limit-limit') !== undefined && { limit: number('x-rate-limit-limit') }),
    ...(number('x-rate-limit-remaining') !== undefined && { remaining: number('x-rate-limit-remaining') }),
    // X sends the reset as epoch seconds.
    ...(reset !== undefined && { resetAt: new Date(reset * 1000) }),
  };
}

function parseJson(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw.slice(0, 500);
  }
}
