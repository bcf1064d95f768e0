// Renders /proc/PID/status-style files (`Key:\tvalue[ kB]`, or spaces after the colon as in
// procfs fixture 26235) so property tests can check parse(render(fields)) === fields.
import fc from 'fast-check';

export interface StatusField {
  key: string;
  value: number;
  kb: boolean;
}

export function renderStatusFile(fields: StatusField[], separator: '\t' | 'spaces', leadingBlankLine: boolean): string {
  const lines = fields.map((f) => {
    const sep = separator === '\t' ? '\t' : ' '.repeat(Math.max(1, 16 - f.key.length));
    return `${f.key}:${sep}${f.kb ? `${String(f.value).padStart(8)} kB` : f.value}`;
  });
  return `${leadingBlankLine ? '\n' : ''}${lines.join('\n')}\n`;
}

const keyArbitrary = fc.constantFrom('VmPeak', 'VmSize', 'VmHWM', 'VmRSS', 'RssAnon', 'RssFile', 'VmData', 'Threads', 'FDSize', 'Pid', 'HugetlbPages', 'voluntary_ctxt_switches', 'Shared_Clean', 'Pss_Anon', 'THPeligible', 'AnonHugePages');

export const statusFieldsArbitrary: fc.Arbitrary<StatusField[]> = fc.uniqueArray(
  fc.record({ key: keyArbitrary, value: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), kb: fc.boolean() }),
  { selector: (f) => f.key, maxLength: 16 },
);
