// What a process list says besides its rows (home screen, process picker): why it could not
// be had, that it may be incomplete, what it lacks, or that it is empty.
import { Text } from 'ink';
import type { Discovery } from '../collectors/discover.js';
import { color } from './theme.js';
import type { Loaded } from './use-source.js';

export interface DiscoveryNotesProps {
  discovery: Loaded<Discovery>;
  where: string;
  /** Said after "No Go processes found on WHERE". */
  whenEmpty: string;
}

export function DiscoveryNotes({ discovery, where, whenEmpty }: DiscoveryNotesProps) {
  const { value, error } = discovery;
  const notes = [...(value?.failures ?? []).map((failure) => `the list may be incomplete: ${failure}`), ...(value?.warnings ?? []).map((warning) => `warning: ${warning}`)];
  return (
    <>
      {error !== undefined ? (
        <Text color={color('warn')} wrap="wrap">
          Cannot list Go processes on {where}: {error}
        </Text>
      ) : null}
      {[...new Set(notes)].map((note) => (
        <Text key={note} color={color('warn')} wrap="truncate-end">
          {note}
        </Text>
      ))}
      {value !== null && value.processes.length === 0 ? (
        <Text dimColor>
          No Go processes found on {where}
          {whenEmpty}
        </Text>
      ) : null}
    </>
  );
}
