// Bounded HTTP GET for pprof and expvar endpoints: a stuck or huge response must not
// hang a snapshot or grow the tool's memory (goroutine?debug=2 can reach 64 MB).
export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export type FetchOutcome = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** GETs `url`; any failure (refused, timeout, non-200, too large) becomes a reason. */
export async function fetchBounded(url: string, limits: FetchLimits): Promise<FetchOutcome> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { signal, redirect: 'error' });
    if (response.status !== 200) {
      await response.body?.cancel();
      return { ok: false, reason: `GET ${url} answered ${response.status} ${response.statusText}` };
    }
    const tooLarge = { ok: false as const, reason: `GET ${url}: response larger than ${limits.maxBytes} bytes` };
    if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) {
      await response.body?.cancel();
      return tooLarge;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const reader = response.body?.getReader();
    for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
      total += next.value.byteLength;
      if (total > limits.maxBytes) {
        await reader?.cancel();
        return tooLarge;
      }
      chunks.push(Buffer.from(next.value));
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  } catch (error) {
    if (timeout.aborted) return { ok: false, reason: `GET ${url}: no answer within ${limits.timeoutMs} ms` };
    if (limits.signal?.aborted) return { ok: false, reason: `GET ${url}: cancelled` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, reason: `GET ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}
