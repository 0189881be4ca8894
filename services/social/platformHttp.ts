/**
 * The one way this area calls X and the Graph API: JSON over fetch with a timeout, retries with
 * exponential backoff and jitter, and the platform's rate-limit headers read on every answer
 * (`x-rate-limit-remaining/-reset`, 429 with reset). Errors carry a code, the status and the cause.
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

export type PlatformErrorCode = 'PLATFORM_RATE_LIMITED' | 'PLATFORM_UNAVAILABLE' | 'PLATFORM_REJECTED';

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
    return this.code !== 'PLATFORM_REJECTED';
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
        if (!failure.retryable || attempt >= retries) throw failure;
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
