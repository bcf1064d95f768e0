// useSource with a refresh: a failed load is shown and the next one is still made, so an
// Alertmanager that was down comes back on the home screen without a restart.
import './no-ci.js';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { useSource } from '../../src/tui/use-source.js';

function Shown({ load }: { load: (signal: AbortSignal) => Promise<string> }): React.ReactElement {
  const loaded = useSource(load, 5);
  return <Text>{loaded.error !== undefined ? `error: ${loaded.error}` : (loaded.value ?? 'loading')}</Text>;
}

async function frameWith(ink: ReturnType<typeof render>, text: string): Promise<string> {
  for (;;) {
    const frame = ink.lastFrame() ?? '';
    if (frame.includes(text)) return frame;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('useSource', () => {
  it('keeps refreshing after a failed load, showing the error until a load succeeds', async () => {
    let calls = 0;
    // Fails twice, then answers: however the loads are timed, the answer must arrive.
    const load = async (): Promise<string> => {
      calls += 1;
      if (calls <= 2) throw new Error(`down (${calls})`);
      return `up after ${calls - 1} failures`;
    };
    const ink = render(<Shown load={load} />);
    try {
      await frameWith(ink, 'error: down (1)');
      expect(await frameWith(ink, 'up after 2 failures')).not.toContain('error');
    } finally {
      ink.unmount();
    }
  }, 10_000);
});
