// A finished step as it stays on screen: status, title, duration, the facts table, a
// picture where one reads faster, and the decision ("stw_p99_ms = 27.1 > 10 → gc-stw-spike").
import { Box, Text } from 'ink';
import { pasteableCommand } from '../engine/command-preview.js';
import type { CommandRecord, StepFinishedRecord } from '../journal/records.js';
import type { Facts } from '../parsers/types.js';
import type { Step } from '../runbook/types.js';
import { FactsTable } from './FactsTable.js';
import { factRows } from '../facts/fact-rows.js';
import { formatDuration } from '../facts/format-human.js';
import { PictureView } from './PictureView.js';
import { picturesFor } from './pictures.js';
import { color, STATUS_GLYPH, statusRole } from './theme.js';

export interface FinishedStepProps {
  step: Step | undefined;
  record: StepFinishedRecord;
  facts: Facts | undefined;
  /** The command this attempt ran, shown pasteable under the title. */
  command?: CommandRecord | undefined;
  width: number;
  /** Look-back shows every picture; the log keeps one per step to stay short. */
  maxPictures?: number;
}

export function FinishedStep({ step, record, facts, command, width, maxPictures = 1 }: FinishedStepProps) {
  const rows = step && facts ? factRows(step, facts) : [];
  const pictures = facts ? picturesFor(facts).slice(0, maxPictures) : [];
  const exit = record.exit_code !== undefined && record.exit_code !== null && record.exit_code !== 0 ? ` · exit ${record.exit_code}` : '';
  const attempt = record.attempt > 1 ? ` · attempt ${record.attempt}` : '';
  const byHand = record.by_hand === true ? ' · run by hand' : '';
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={color(statusRole(record.status))}>{STATUS_GLYPH[record.status]}</Text> <Text bold>{step?.title ?? record.step}</Text>
        <Text dimColor>
          {' '}
          {step?.title ? `${record.step} · ` : ''}
          {record.status} · {formatDuration(record.duration_ms)}
          {attempt}
          {exit}
          {byHand}
        </Text>
      </Text>
      {command !== undefined ? (
        <Box paddingLeft={2}>
          <Text wrap="wrap">
            <Text dimColor>$ </Text>
            {pasteableCommand(command)}
          </Text>
        </Box>
      ) : null}
      {record.reason !== undefined && record.status !== 'passed' ? (
        <Box paddingLeft={2}>
          <Text color={color(statusRole(record.status))}>{record.reason}</Text>
        </Box>
      ) : null}
      {record.answer !== undefined ? <Text>    answer: {record.answer}</Text> : null}
      {record.checklist?.map((item) => (
        <Text key={item.item}>
          {'    '}
          {item.checked ? '[x]' : '[ ]'} {item.item}
        </Text>
      ))}
      {record.note !== undefined && record.note !== '' ? <Text>    note: {record.note}</Text> : null}
      {rows.length > 0 ? <FactsTable rows={rows} width={width} /> : null}
      {pictures.map((picture) => (
        <PictureView key={picture.title} picture={picture} width={width} />
      ))}
      {(record.warnings ?? []).slice(0, 3).map((warning) => (
        <Text key={warning} color={color('warn')}>
          {'    '}warning: {warning}
        </Text>
      ))}
      {record.decision ? (
        <Text color={color('accent')}>
          {'  '}⤷ {record.decision.explanation}
        </Text>
      ) : null}
    </Box>
  );
}
