// A step's command as the cards show it: `$ ` and the pasteable text (a script or a
// snapshot's several commands cut to `maxLines`, `c` copies them all), `= ` before compute expressions, or why
// the command cannot be filled in yet.
import { Text } from 'ink';
import type { CommandLine } from './command-preview.js';

export function CommandLineView({ line, maxLines = 4 }: { line: CommandLine; maxLines?: number }) {
  if (line.kind === 'unfilled') return <Text dimColor wrap="wrap">$ (filled in when it runs: {line.reason})</Text>;
  if (line.kind === 'expressions') {
    return (
      <Text wrap="wrap">
        <Text dimColor>= </Text>
        {line.text}
      </Text>
    );
  }
  const lines = line.text.split('\n');
  const shown = lines.length > maxLines ? lines.slice(0, maxLines - 1) : lines;
  return (
    <>
      {shown.map((text, i) => (
        <Text key={i} wrap="wrap">
          <Text dimColor>{i === 0 ? '$ ' : '  '}</Text>
          {text}
        </Text>
      ))}
      {shown.length < lines.length ? <Text dimColor>  … {lines.length - shown.length} more lines (c copies them all)</Text> : null}
    </>
  );
}
