import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { httpBodyAuditParser } from '../../src/parsers/http-body-audit.js';

const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));
const lineOf = (file: string, code: string): number => readFileSync(`${leakyDir}/${file}`, 'utf8').split('\n').findIndex((line) => line.includes(code)) + 1;

/** The body_audit step's own argv from runbooks/goroutine-leak.yaml, run on the Go test service. */
function auditLeaky(): string {
  const runbook = parseYaml(readFileSync(new URL('../../runbooks/goroutine-leak.yaml', import.meta.url), 'utf8')) as { steps: Array<{ id: string; run?: { argv: string[] } }> };
  const argv = runbook.steps.find((s) => s.id === 'body_audit')!.run!.argv.map((a) => (a === '{{ source_dir }}' ? leakyDir : a));
  return spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
}

/** grep -nH lines of one file, numbered from 1. */
const file = (name: string, lines: string[]): string => lines.map((text, i) => `${name}:${i + 1}:${text}`).join('\n');

describe('http-body-audit', () => {
  it("names the test service's function that never closes a response body, with file:line, and nothing else (test/go/leaky)", () => {
    const { facts, warnings } = httpBodyAuditParser.parse(auditLeaky());
    expect(warnings).toEqual([]);
    const at = `${leakyDir}/mode_goroutines.go:${lineOf('mode_goroutines.go', 'resp, err := client.Get(url)')}`;
    expect(facts).toMatchObject({ responses: 1, unclosed: 1, handed_on: 0, closed: 0 });
    expect(facts['unclosed_list']).toBe(`main.fetchStatus (${at}) gets resp from client.Get and never closes resp.Body`);
    // once.Do(func…) and r.URL.Query().Get("m") are not responses; the step reads only the
    // files that import net/http (main.go and mode_goroutines.go among them).
    expect(facts['http_files']).toBeGreaterThanOrEqual(2);
    expect(facts['files']).toBe(facts['http_files']);
  });

  it('tells closed, deferred, handed-on and discarded responses apart, and ignores what is not an HTTP client', () => {
    const source = [
      file('svc/client.go', [
        'package svc',
        'import (',
        '\t"net/http"',
        ')',
        'func (s *Service) Fetch(url string) error {',
        '\tresp, err := s.client.Get(url)',
        '\tif err != nil {',
        '\t\treturn err',
        '\t}',
        '\tdefer resp.Body.Close()',
        '\treturn nil',
        '}',
        'func Post(req *http.Request) (*http.Response, error) {',
        '\tres, err := http.DefaultClient.Do(req)',
        '\treturn res, err',
        '}',
        'func Probe(u string) {',
        '\t_, _ = http.Head(u)',
        '}',
        'func Relay(t http.RoundTripper, req *http.Request) {',
        '\tr, err := t.RoundTrip(req)',
        '\tif err == nil {',
        '\t\tdrain(r)',
        '\t}',
        '}',
        'func Leak(hc *http.Client, req *http.Request) int {',
        '\tresp, _ := hc.Do(req)',
        '\treturn resp.StatusCode',
        '}',
        'func Closure(c *http.Client, u string) {',
        '\tresp, err := c.Do(requestFor(u))',
        '\tdefer func() { resp.Body.Close() }()',
        '}',
        'func Decode(client *http.Client, u string, v any) error {',
        '\tresp, err := client.Get(u)',
        '\treturn json.NewDecoder(resp.Body).Decode(v)',
        '}',
        'func Open(client *http.Client, u string) (io.ReadCloser, error) {',
        '\tresp, err := client.Get(u)',
        '\treturn resp.Body, err',
        '}',
        'func Quiet(client *http.Client, u string) {',
        '\tresp, _ := client.Get(u)',
        '\tdefer closeQuietly(resp.Body)',
        '}',
        'func Cache(m *Map, conn redis.Conn) {',
        '\tv, ok := m.Get("k")',
        '\treply, err := conn.Do("GET", "k")',
        '}',
      ]),
      file('svc/other.go', ['package svc', 'func Get(client *Client) {', '\tresp, err := client.Get("x")', '}']),
    ].join('\n');
    const { facts } = httpBodyAuditParser.parse(source);
    const calls = (facts['calls'] as Array<{ file_line: string; function: string; call: string; closed: boolean; deferred: boolean; handed_on?: string }>).map((c) => [c.file_line, c.function, c.call, c.closed, c.deferred, c.handed_on]);
    expect(calls).toEqual([
      ['svc/client.go:18', 'svc.Probe', 'http.Head', false, false, undefined],
      ['svc/client.go:27', 'svc.Leak', 'hc.Do', false, false, undefined],
      // Decoding reads the body; it does not close it.
      ['svc/client.go:35', 'svc.Decode', 'client.Get', false, false, undefined],
      ['svc/client.go:14', 'svc.Post', 'http.DefaultClient.Do', false, false, 'returned to the caller'],
      ['svc/client.go:21', 'svc.Relay', 't.RoundTrip', false, false, 'passed to drain'],
      ['svc/client.go:39', 'svc.Open', 'client.Get', false, false, 'its body returned to the caller'],
      ['svc/client.go:43', 'svc.Quiet', 'client.Get', false, false, 'its body passed to closeQuietly'],
      ['svc/client.go:6', 'svc.(*Service).Fetch', 's.client.Get', true, true, undefined],
      // c.Do(requestFor(u)): not a client by its name, but given a request.
      ['svc/client.go:31', 'svc.Closure', 'c.Do', true, true, undefined],
    ]);
    expect(facts).toMatchObject({ responses: 9, unclosed: 3, handed_on: 4, closed: 2, http_files: 1 });
    expect(facts['unclosed_list']).toMatch(/^svc\.Probe \(svc\/client\.go:18\) discards the response of http\.Head \(assigned to _\): its body is never closed; svc\.Leak \(svc\/client\.go:27\) gets resp from hc\.Do and never closes resp\.Body; svc\.Decode \(svc\/client\.go:35\) gets resp from client\.Get and never closes resp\.Body; svc\.Post \(svc\/client\.go:14\) gets res from http\.DefaultClient\.Do and hands it on \(returned to the caller\): check that the body is closed there;/);
  });

  it('follows raw strings, aliases, a function literal that closes the body, if-statements, and leaves other clients alone', () => {
    const source = file('svc/more.go', [
      'package svc',
      'import "net/http"',
      'func Create(client *http.Client, u string) error {',
      '\tresp, err := client.Post(u, "application/json", strings.NewReader(payload))',
      '\tpayload := `{',
      '  "a": 1',
      '}`',
      '\tdefer resp.Body.Close()',
      '\treturn err',
      '}',
      'func GoLand(client *http.Client, u string) {',
      '\tresp, err := client.Get(u)',
      '\tdefer func(Body io.ReadCloser) {',
      '\t\t_ = Body.Close()',
      '\t}(resp.Body)',
      '}',
      'func Alias(client *http.Client, u string) {',
      '\tresp, _ := client.Get(u)',
      '\tbody := resp.Body',
      '\tdefer body.Close()',
      '}',
      'func Probe(u string) error {',
      '\tif resp, err := http.Get(u); err != nil {',
      '\t\treturn err',
      '\t}',
      '\treturn nil',
      '}',
      'func (s *Service) Lookup(ctx context.Context, id string) {',
      '\tval, err := s.redisClient.Get(ctx, "k")',
      '\tuser, err := s.userClient.Get(ctx, id)',
      '}',
    ]);
    const { facts } = httpBodyAuditParser.parse(source);
    const calls = (facts['calls'] as Array<{ function: string; closed: boolean; deferred: boolean; handed_on?: string }>).map((c) => [c.function, c.closed, c.deferred, c.handed_on]);
    expect(calls).toEqual([
      ['svc.Probe', false, false, undefined],
      ['svc.Create', true, true, undefined],
      ['svc.GoLand', true, true, undefined],
      ['svc.Alias', true, true, undefined],
    ]);
  });

  it('says what it read when the tree makes no client call, and warns on lines that are not grep -nH', () => {
    expect(httpBodyAuditParser.parse(file('a/b.go', ['package b', 'import "net/http"', 'func F() {}'])).facts['unclosed_list']).toBe('no HTTP client call in the 1 Go files that import net/http (of 1 read)');
    expect(httpBodyAuditParser.parse('just text').warnings[0]!.message).toMatch(/not a grep -nH line/);
  });

  it('is total: any text yields a result, never a throw', () => {
    fc.assert(fc.property(fc.array(fc.string()), (lines) => { httpBodyAuditParser.parse(['a.go:1:import "net/http"', ...lines.map((l, i) => `a.go:${i + 2}:${l}`)].join('\n')); }));
  });
});
