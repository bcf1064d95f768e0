// Bounded HTTP GET for pprof and expvar endpoints: a stuck or huge response must not
// hang a snapshot or grow the tool's memory (goroutine?debug=2 can reach 64 MB).
// node:http with a fresh connection per request (agent: false) rather than fetch():
// fetch's pooled keep-alive sockets held `runbook ps` open ~4 s after it had printed.
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export type FetchOutcome = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** GETs `url`; any failure (refused, timeout, non-200, too large) becomes a reason. */
export function fetchBounded(url: string, limits: FetchLimits): Promise<FetchOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let request: ReturnType<typeof httpGet> | undefined;
    const finish = (outcome: FetchOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      request?.destroy();
      resolve(outcome);
    };
    const fail = (why: string): void => finish({ ok: false, reason: `GET ${url}: ${why}` });
    const timer = setTimeout(() => fail(`no answer within ${limits.timeoutMs} ms`), limits.timeoutMs);
    const onAbort = (): void => fail('cancelled');
    if (limits.signal?.aborted) return onAbort();
    limits.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      const get = url.startsWith('https:') ? httpsGet : httpGet;
      request = get(url, { agent: false }, (response) => collect(response));
    } catch (error) {
      return fail((error as Error).message);
    }
    request.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));

    function collect(response: IncomingMessage): void {
      if (response.statusCode !== 200) {
        return finish({ ok: false, reason: `GET ${url} answered ${response.statusCode} ${response.statusMessage ?? ''}`.trimEnd() });
      }
      const tooLarge = (): void => fail(`response larger than ${limits.maxBytes} bytes`);
      if (Number(response.headers['content-length'] ?? 0) > limits.maxBytes) return tooLarge();
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.maxBytes) tooLarge();
        else chunks.push(chunk);
      });
      response.on('end', () => finish({ ok: true, bytes: Buffer.concat(chunks) }));
      response.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    }
  });
}
