// Plain-GFM building blocks that stay correct whatever the text holds: user text (notes,
// answers, titles, fact values) can contain backticks, pipes, HTML or markdown syntax, and
// must show as typed on GitHub and in ticket systems instead of becoming markup.

/** Text as inline markdown: markup characters and HTML are backslash-escaped. */
export function inlineText(text: string): string {
  return (
    text
      .replace(/\r?\n/g, ' ')
      .replace(/[\\`*[\]<>|~]/g, '\\$&')
      // GFM never reads an underscore inside a word as emphasis: `heap_share` stays as typed.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
  );
}

/** inlineText for text that starts a line, where `#`, `-`, `1.` … would start a block. */
function lineText(text: string): string {
  return inlineText(text).replace(/^([#+=-]|\d+[.)])/, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`);
}

/** Multi-line user text as a block quote, every line escaped. Its line breaks stay line
 *  breaks (a trailing backslash): markdown would join consecutive lines into one, and a
 *  conclusion's one-site-per-line list would read as a single run-on sentence. */
export function blockQuote(text: string): string {
  const lines = text.split(/\r?\n/);
  return lines
    .map((line, i) => {
      if (line.trim() === '') return '>';
      const continues = i + 1 < lines.length && lines[i + 1]!.trim() !== '';
      return `> ${lineText(line)}${continues ? '\\' : ''}`;
    })
    .join('\n');
}

/** A code span that survives any backticks inside. */
export function codeSpan(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const fence = '`'.repeat(longestRun(oneLine, '`') + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') || oneLine === '' ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in the content. */
export function fencedBlock(content: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${info}\n${body}${fence}`;
}

/** A GFM table; every cell is already inline markdown (escape with inlineText/codeSpan). */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(tableCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** GFM splits rows on `|` before inline parsing, even inside code spans: escape every bare one. */
function tableCell(markdown: string): string {
  const cell = markdown.replace(/(?<!\\)\|/g, '\\|').trim();
  return cell === '' ? ' ' : cell;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
