// The end of the path: finding, severity, the text, the evidence (every decision that led
// here) and the remediation.
import { Box, Text } from 'ink';
import type { SessionConcludedRecord, StepFinishedRecord } from '../journal/records.js';
import { color, severityRole } from './theme.js';

export function ConclusionCard({ conclusion, path }: { conclusion: SessionConcludedRecord; path: readonly StepFinishedRecord[] }) {
  const evidence = path.filter((r) => r.decision !== undefined && r.decision.rule >= 0).map((r) => `${r.step}: ${r.decision!.explanation}`);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color(severityRole(conclusion.severity))} paddingX={1}>
      <Text>
        <Text bold>Conclusion: {conclusion.finding}</Text>
        {'  '}
        <Text color={color(severityRole(conclusion.severity))}>severity {conclusion.severity}</Text>
      </Text>
      <Text>{conclusion.text}</Text>
      {evidence.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>Evidence</Text>
          {evidence.map((line) => (
            <Text key={line}>• {line}</Text>
          ))}
        </Box>
      ) : null}
      {conclusion.remediation !== undefined ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>Remediation</Text>
          <Text>{conclusion.remediation}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
