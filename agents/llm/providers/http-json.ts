/**
 * One JSON POST to a model API with what a long-running host needs: a timeout per attempt,
 * retries with exponential backoff (and the server's Retry-After) on 429, 5xx and network
 * failures, and errors that say what happened without ever containing the API key.
 */
import { linkedSignalWithTimeout } from '../../../runtime/linked-signal.js';

export class ModelHttpError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null when no response arrived (network failure, timeout). */
    readonly status: number | null,
    /** The same request may succeed later (the host keeps the prompt pending and tries again). */
    readonly retryable: boolean,
  ) {
    super(message);
  }

  /** The key or the account was refused: retrying cannot help, the operator must fix the configuration. */
  get refusedCredentials(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export interface PostJsonOptions {
  /** Names the API in messages, e.g. "OpenAI-compatible API at https://api.openai.com/v1". */
  label: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  signal: AbortSignal;
  /** Secrets that must never appear in an error message (the provider may echo them back). */
  secrets: readonly string[];
}

/** Longest wait between attempts, whatever the server's Retry-After asks. */
const MAX_BACKOFF_MS = 60_000;

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Retry-After as milliseconds (retry-after-ms, seconds, or an HTTP date), if the server sent one. */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}

/** The provider's own error text when the body is JSON ({error: {message}} or {error: "..."}), else the body. */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (parsed.error && typeof parsed.error.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: the body itself, shortened below.
  }
  return body.replace(/\s+/g, ' ').trim();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function attempt(opts: PostJsonOptions): Promise<{ value: unknown } | { error: ModelHttpError; waitMs?: number }> {
  // The deadline covers the body too, so it is released only once the answer is read.
  const request = linkedSignalWithTimeout([opts.signal], opts.timeoutMs);
  let response: Response;
  try {
    response = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...opts.headers },
      body: JSON.stringify(opts.body),
      signal: request.signal,
    });
  } catch (err) {
    request.release();
    if (opts.signal.aborted) throw opts.signal.reason;
    const reason = request.timedOut()
      ? `no answer within ${opts.timeoutMs / 1000} s`
      : `${(err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.message : String(err))}`;
    return { error: new ModelHttpError(`${opts.label} could not be reached (${redact(reason, opts.secrets)})`, null, true) };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    if (opts.signal.aborted) throw opts.signal.reason;
    if (request.timedOut()) return { error: new ModelHttpError(`${opts.label} did not finish its answer within ${opts.timeoutMs / 1000} s`, response.status, true) };
    return { error: new ModelHttpError(`${opts.label} broke off its answer (${err instanceof Error ? err.message : String(err)})`, response.status, true) };
  } finally {
    request.release();
  }
  if (!response.ok) {
    const detail = redact(errorDetail(text), opts.secrets).slice(0, 500);
    const retryable = isRetryableStatus(response.status);
    const hint =
      response.status === 401 || response.status === 403
        ? ' Check the API key variable and that it belongs to this API.'
        : response.status === 404
          ? ' Check LLM_MODEL and the base URL.'
          : '';
    const error = new ModelHttpError(`${opts.label} answered ${response.status}: ${detail || response.statusText}.${hint}`, response.status, retryable);
    const waitMs = retryable ? retryAfterMs(response.headers, Date.now()) : undefined;
    return waitMs === undefined ? { error } : { error, waitMs };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: new ModelHttpError(`${opts.label} answered ${response.status} with a body that is not JSON`, response.status, false) };
  }
}

export async function postJson(opts: PostJsonOptions): Promise<unknown> {
  for (let attemptNo = 0; ; attemptNo += 1) {
    const outcome = await attempt(opts);
    if ('value' in outcome) return outcome.value;
    const { error } = outcome;
    if (!error.retryable || attemptNo >= opts.maxRetries) {
      if (error.retryable) error.message += ` (gave up after ${attemptNo + 1} attempts)`;
      throw error;
    }
    // Full jitter keeps several hosts from retrying in lockstep; the server's Retry-After wins when given.
    const backoff = Math.random() * opts.retryBaseMs * 2 ** attemptNo;
    await sleep(Math.min(MAX_BACKOFF_MS, outcome.waitMs ?? backoff), opts.signal);
  }
}
