// `{{ name }}` templates in argv elements and text fields. Names are dotted paths
// (`pid`, `before.heap.path`, `session.dir`); there is no other syntax inside braces.
// `\{{` is a literal `{{`, for Go templates handed to tools (`go list -f '\{{.Dir}}'`).

export type TemplatePart = { literal: string } | { path: string };

export type TemplateParseResult =
  | { ok: true; parts: TemplatePart[] }
  | { ok: false; error: { message: string; offset: number } };

// Segments may hold '-' because step ids do (`go-heap.artifact`); no arithmetic here.
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function parseTemplate(text: string): TemplateParseResult {
  const parts: TemplatePart[] = [];
  let position = 0;
  let literal = '';
  while (position < text.length) {
    const open = text.indexOf('{{', position);
    if (open === -1) break;
    if (text[open - 1] === '\\') {
      literal += `${text.slice(position, open - 1)}{{`;
      position = open + 2;
      continue;
    }
    literal += text.slice(position, open);
    if (literal !== '') parts.push({ literal });
    literal = '';
    const close = text.indexOf('}}', open + 2);
    if (close === -1) return fail("unclosed '{{': add '}}' after the name", open);
    const inner = text.slice(open + 2, close);
    const name = inner.trim();
    const nameOffset = open + 2 + inner.indexOf(name);
    if (name === '') return fail("empty '{{ }}': put a name inside, e.g. {{ pid }}", open);
    const segments = name.split('.');
    let segmentOffset = nameOffset;
    for (const segment of segments) {
      if (!SEGMENT.test(segment)) {
        return fail(
          `'${name}' is not a name: use letters, digits, '_' and '-' separated by '.' (templates hold no expressions)`,
          segmentOffset,
        );
      }
      segmentOffset += segment.length + 1;
    }
    parts.push({ path: name });
    position = close + 2;
  }
  literal += text.slice(position);
  if (literal !== '') parts.push({ literal });
  return { ok: true, parts };
}

/** Every path a template names, in order, without repeats. */
export function templatePaths(text: string): string[] {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return [];
  return [...new Set(parsed.parts.flatMap((part) => ('path' in part ? [part.path] : [])))];
}

function fail(message: string, offset: number): TemplateParseResult {
  return { ok: false, error: { message, offset } };
}
