/**
 * The TypeScript client of Stigmergy: every API class and model generated from openapi/openapi.yaml
 * (typescript-fetch), plus {@link streamEvents}, the reader of the event stream the generator cannot produce, and
 * {@link retryingFetch}, the retries of idempotent calls.
 */
export * from '../generated/index';
export { streamEvents, StreamOptions } from './events';
export { retryingFetch, RetryOptions, isIdempotent, retryAfterMs } from './retry';
