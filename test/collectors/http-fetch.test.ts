import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBounded } from '../../src/collectors/http-fetch.js';

describe('fetchBounded', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/ok') response.end('hello');
      else if (request.url === '/big') response.end(Buffer.alloc(2 << 20));
      else if (request.url === '/big-chunked') {
        // No Content-Length: the cap must hold while streaming.
        for (let i = 0; i < 32; i++) response.write(Buffer.alloc(64 << 10));
        response.end();
      } else if (request.url === '/hang') response.flushHeaders(); // headers, then nothing
      else response.writeHead(404).end('404 page not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('returns the body of a 200', async () => {
    const got = await fetchBounded(`${base}/ok`, { timeoutMs: 2000, maxBytes: 100 });
    expect(got.ok && got.bytes.toString()).toBe('hello');
  });

  it('names the status of a non-200 answer', async () => {
    expect(await fetchBounded(`${base}/debug/pprof/`, { timeoutMs: 2000, maxBytes: 100 })).toEqual({
      ok: false,
      reason: `GET ${base}/debug/pprof/ answered 404 Not Found`,
    });
  });

  it('stops reading past the size cap', async () => {
    const got = await fetchBounded(`${base}/big`, { timeoutMs: 2000, maxBytes: 1 << 20 });
    expect(got).toEqual({ ok: false, reason: `GET ${base}/big: response larger than 1048576 bytes` });
  });

  it('stops reading a streamed body past the size cap', async () => {
    const got = await fetchBounded(`${base}/big-chunked`, { timeoutMs: 2000, maxBytes: 1 << 20 });
    expect(got).toEqual({ ok: false, reason: `GET ${base}/big-chunked: response larger than 1048576 bytes` });
  });

  it('gives up on an endpoint that never finishes', async () => {
    const started = Date.now();
    const got = await fetchBounded(`${base}/hang`, { timeoutMs: 300, maxBytes: 100 });
    expect(got).toEqual({ ok: false, reason: `GET ${base}/hang: no answer within 300 ms` });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('honours a cancel signal, even one already aborted', async () => {
    const controller = new AbortController();
    const pending = fetchBounded(`${base}/hang`, { timeoutMs: 5000, maxBytes: 100, signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ ok: false, reason: `GET ${base}/hang: cancelled` });
    expect(await fetchBounded(`${base}/ok`, { timeoutMs: 5000, maxBytes: 100, signal: controller.signal })).toEqual({
      ok: false,
      reason: `GET ${base}/ok: cancelled`,
    });
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const got = await fetchBounded(`http://127.0.0.1:${port}/debug/vars`, { timeoutMs: 2000, maxBytes: 100 });
    expect(got).toEqual({ ok: false, reason: `GET http://127.0.0.1:${port}/debug/vars: ECONNREFUSED` });
  });
});
