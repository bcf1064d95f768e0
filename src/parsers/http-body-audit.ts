// `grep -rnH '' ` over a Go source tree (every line) → each HTTP response the service's code
// gets from a client (`resp, err := client.Do(req)`, `http.Get(url)`, `t.RoundTrip(req)`),
// with its file:line, the function it is in, and what that function does with it: closes
// its body (deferred or not), hands the response on (returns it, passes it to a call,
// stores it) or does neither. A response body never closed keeps its connection's readLoop
// and writeLoop goroutines forever (domain: the goroutine leak signature
// http-body-not-closed), and no frame of the service is in those goroutines' stacks: this
// audit is how the goroutine-leak runbook names the code at fault.
//
// Only files that import net/http are read. `.Get/.Post/.PostForm/.Head/.Do` count when the
// receiver's last name is an HTTP client's (`client`, `httpClient`, `HTTPClient`, `httpc`,
// `hc`, `http.DefaultClient`) or `.Do` is given a request (`req…`): `m.Get(k)`,
// `s.redisClient.Get(ctx, k)` and `s.userClient.Get(ctx, id)` are not responses. Closing
// counts through an alias (`body := resp.Body` … `body.Close()`) and through a function
// literal called with the body (`defer func(b io.ReadCloser) { _ = b.Close() }(resp.Body)`).
// It reads text, not types: a response handed to another function is reported as handed
// on, for the engineer to follow.
import { goSourceAuditParser, keptName, type GoSourceVisitor, type GoSourceWalk, tooManyFindings, MAX_AUDIT_FINDINGS } from './go-source-lines.js';
import { escapeRegex, handedOnBy } from './go-uses.js';
import { auditVerdicts } from './audit-verdicts.js';
import type { FactValue, ParseResult } from './types.js';

interface Response {
  file: string;
  line: number;
  function: string;
  /** The call as written: `client.Get`, `http.DefaultClient.Do`. */
  call: string;
  variable: string;
  /** What closes the body when `.Close()` is called on it: `resp.Body`, and its aliases. */
  closers: string[];
  closed: boolean;
  deferred: boolean;
  /** Where it went when not closed here: `returned`, `passed to decode`, `stored`. */
  handedOn?: string;
}

/** `[if ]resp, err := <receiver>.<Method>(<first argument>` */
const acquisition = /^\s*(?:if\s+)?(\w+)\s*,\s*\w+\s*:?=\s*((?:[\w.]+\.)?\w+)\.(Do|Get|Post|PostForm|Head|RoundTrip)\(\s*(\w*)/;
const clientName = /(^|\.)(client|httpClient|HTTPClient|HttpClient|httpc|hc|DefaultClient)$/;
/** A function literal's start (`defer func(b io.ReadCloser) {`), and its call (`}(resp.Body)`). */
const literalStart = /^\s*(defer\s+|go\s+)?func\s*\(/;
const literalCall = /^\s*\}\s*\((.*)\)\s*$/;

function isClientCall(receiver: string, method: string, firstArgument: string): boolean {
  if (method === 'RoundTrip') return true;
  if (receiver === 'http') return method !== 'Do';
  if (clientName.test(receiver)) return true;
  return method === 'Do' && /^req/i.test(firstArgument);
}

/** Functions that read a body and never close it: passing the body to them releases nothing. */
const BODY_READERS = new Set(['io.ReadAll', 'ioutil.ReadAll', 'io.Copy', 'io.CopyN', 'io.LimitReader', 'io.TeeReader', 'bufio.NewReader', 'bufio.NewScanner', 'json.NewDecoder', 'xml.NewDecoder', 'gzip.NewReader']);

/** What this line does with the response `r`, if anything. */
function useOf(code: string, r: Response): { closed: true; deferred: boolean } | { handedOn: string } | undefined {
  const name = escapeRegex(r.variable);
  for (const closer of r.closers) {
    if (new RegExp(`(^|[^\\w.])${escapeRegex(closer)}\\.Close\\(\\)`).test(code)) return { closed: true, deferred: /^\s*defer\b/.test(code) };
  }
  const alias = new RegExp(`^\\s*(\\w+)\\s*:?=\\s*${name}\\.Body\\s*$`).exec(code);
  if (alias) {
    r.closers.push(keptName(alias[1]!));
    return undefined;
  }
  // The body alone going somewhere: returned, or to a function that may close it.
  const body = new RegExp(`\\b${name}\\.Body\\b(?!\\s*\\.)`);
  if (body.test(code)) {
    const call = new RegExp(`([\\w.]+)\\([^()]*\\b${name}\\.Body\\b(?!\\s*\\.)`).exec(code);
    if (call) {
      if (!BODY_READERS.has(call[1]!)) return { handedOn: `its body passed to ${keptName(call[1]!)}` };
    } else if (/^\s*return\b/.test(code)) return { handedOn: 'its body returned to the caller' };
  }
  // The response itself (not one of its fields) going somewhere.
  const handedOn = handedOnBy(code, r.variable);
  return handedOn === undefined ? undefined : { handedOn };
}

function describe(r: Response): string {
  const at = `${r.function} (${r.file}:${r.line})`;
  if (r.closed) return `${at} closes ${r.variable}.Body from ${r.call}${r.deferred ? ' (deferred)' : ''}`;
  if (r.variable === '_') return `${at} discards the response of ${r.call} (assigned to _): its body is never closed`;
  if (r.handedOn) return `${at} gets ${r.variable} from ${r.call} and hands it on (${r.handedOn}): check that the body is closed there`;
  return `${at} gets ${r.variable} from ${r.call} and never closes ${r.variable}.Body`;
}

export const httpBodyAuditParser = goSourceAuditParser({
  name: 'http-body-audit',
  summary: "grep -rnH '' of a Go tree: each HTTP response a client call returns, with file:line, its function, and whether that function closes its body or hands it on",
  keyFacts: ['responses', 'unclosed', 'closed', 'unclosed_list'],
  everyLine: true,
  open() {
    let leftOut = 0;
    const responses: Response[] = [];
    const httpFiles = new Set<string>();
    let held: Response[] = [];
    let literal: { deferred: boolean; closes: boolean } | undefined;
    const visitor: GoSourceVisitor = {
      line({ file, line, code, function: fn }) {
        if (/"net\/http"/.test(code)) httpFiles.add(file);
        if (!httpFiles.has(file) || code === '') return;
        const start = literalStart.exec(code);
        if (start) literal = { deferred: start[1]?.trim() === 'defer', closes: false };
        else if (literal && /\.Close\(\)/.test(code)) literal.closes = true;
        const call = literal ? literalCall.exec(code) : null;
        for (const r of held) {
          if (r.closed) continue;
          if (call && new RegExp(`\\b${escapeRegex(r.variable)}\\b`).test(call[1]!)) {
            if (literal!.closes) Object.assign(r, { closed: true, deferred: literal!.deferred });
            else r.handedOn ??= 'passed to a function literal';
            continue;
          }
          const use = useOf(code, r);
          if (use && 'closed' in use) Object.assign(r, use);
          else if (use && r.handedOn === undefined) r.handedOn = use.handedOn;
        }
        if (call) literal = undefined;
        const m = acquisition.exec(code);
        if (m && isClientCall(m[2]!, m[3]!, m[4]!)) {
          const variable = keptName(m[1]!);
          const response: Response = { file, line, function: fn, call: keptName(`${m[2]}.${m[3]}`), variable, closers: [`${variable}.Body`], closed: false, deferred: false };
          if (responses.length === MAX_AUDIT_FINDINGS) {
            leftOut++;
            return;
          }
          responses.push(response);
          if (response.variable !== '_') held.push(response);
        }
      },
      functionEnd() {
        held = [];
        literal = undefined;
      },
    };
    const result = ({ files, warnings }: GoSourceWalk): ParseResult => {
      const verdicts = auditVerdicts(responses, (r) => (r.closed ? 'released' : r.handedOn ? 'handed-on' : 'neither'));
      const facts: Record<string, FactValue> = {
        files: files.size,
        http_files: httpFiles.size,
        responses: responses.length,
        unclosed: verdicts.neither.length,
        handed_on: verdicts.handedOn.length,
        closed: verdicts.released,
        calls: verdicts.ranked.map((r) => ({
          file_line: `${r.file}:${r.line}`,
          function: r.function,
          call: r.call,
          variable: r.variable,
          closed: r.closed,
          deferred: r.deferred,
          ...(r.handedOn !== undefined && !r.closed ? { handed_on: r.handedOn } : {}),
          verdict: describe(r),
        })),
        unclosed_list:
          httpFiles.size === 0
            ? `no Go file that imports net/http was read (${files.size} read): is it the service's source tree?`
            : responses.length === 0
            ? `no HTTP client call in the ${httpFiles.size} Go files that import net/http (of ${files.size} read)`
            : verdicts.released === responses.length
              ? `each of the ${responses.length} HTTP responses is closed in the function that gets it`
              : verdicts.sentence(describe),
      };
      if (files.size === 0) warnings.push({ message: 'no Go source lines in the input (was the directory right?)' });
      return leftOut > 0 ? { facts, warnings, error: tooManyFindings(leftOut, 'HTTP responses') } : { facts, warnings };
    };
    return { visitor, result };
  },
});
