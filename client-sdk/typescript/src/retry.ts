import fetchBuilder from 'fetch-retry';

/** Options of {@link retryingFetch}; defaults as the Java client's. */
export interface RetryOptions {
  /** At most this many more attempts of an idempotent call; default 3, 0 turns retries off. */
  retries?: number;
  /** Delay before the first retry, in milliseconds, doubling up to {@link maxDelayMs}; default 200. */
  firstDelayMs?: number;
  /** Longest delay between attempts, in milliseconds, also the cap of a `Retry-After`; default 2000. */
  maxDelayMs?: number;
  /** The fetch to wrap; default the global one (node 18+). */
  fetch?: typeof fetch;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']);
// POSTs that only extend or end the caller's own holds: a lock's renew, an intent's renew and complete, the heartbeat
const IDEMPOTENT_POSTS = /\/(entities\/[^/]+\/[^/]+\/lock\/renew|intents\/[0-9]+\/(renew|complete)|agents\/me\/heartbeat)$/;
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** Whether a call may be repeated without changing its effect, so is retried. */
export function isIdempotent(method: string, url: string): boolean {
  const upper = method.toUpperCase();
  return IDEMPOTENT_METHODS.has(upper) || (upper === 'POST' && IDEMPOTENT_POSTS.test(new URL(url).pathname));
}

/** The delay in milliseconds a 503's `Retry-After` (delta-seconds) asks for, capped at `maxMs`; else undefined. */
export function retryAfterMs(response: Response | null, maxMs: number): number | undefined {
  if (!response || response.status !== 503) {
    return undefined;
  }
  const value = response.headers.get('Retry-After');
  if (value === null || !/^\s*\d+\s*$/.test(value)) {
    return undefined;
  }
  return Math.min(Number(value) * 1000, maxMs);
}

/**
 * A fetch that retries idempotent calls (GET, PUT, DELETE such as a lock's release, and the POSTs that renew a
 * lock, renew or complete an intent, or send the heartbeat) when the connection fails or the service answers
 * 502, 503 or 504, with exponential backoff; a 503's `Retry-After` (the service sends it while its database is
 * out) sets the delay, capped. Other calls are sent once: a POST may have taken effect. Pass it as `fetchApi`:
 *
 * ```ts
 * const config = new Configuration({ basePath, accessToken: token, fetchApi: retryingFetch() });
 * ```
 */
export function retryingFetch(options: RetryOptions = {}): typeof fetch {
  const retries = options.retries ?? 3;
  const first = options.firstDelayMs ?? 200;
  const max = options.maxDelayMs ?? 2000;
  const base = options.fetch ?? fetch;
  const withRetry = fetchBuilder(base);
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = input instanceof Request ? input.url : String(input);
    const attempts = isIdempotent(method, url) ? retries : 0;
    return withRetry(input, {
      ...init,
      retries: attempts,
      retryOn: (attempt: number, error: Error | null, response: Response | null) => {
        const again = attempt < attempts && (error !== null || (response !== null && RETRYABLE_STATUSES.has(response.status)));
        if (again && response?.body) {
          // a discarded response must give its connection back
          void response.body.cancel().catch(() => undefined);
        }
        return again;
      },
      retryDelay: (attempt: number, _error: Error | null, response: Response | null) =>
        retryAfterMs(response, max) ?? Math.min(first * 2 ** attempt, max),
    });
  }) as typeof fetch;
}
