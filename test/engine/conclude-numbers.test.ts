// A conclusion quoting a negative number: the text a person reads takes the minus sign
// (U+2212), never a hyphen that reads as a placeholder; the key numbers stay numbers, also
// when a fact was written with text().
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, startSession, tempStateDir } from './helpers.js';

describe('conclude with negative numbers', () => {
  let state: ReturnType<typeof tempStateDir>;
  beforeEach(() => (state = tempStateDir()));
  afterEach(() => state.remove());

  it('writes −1.5 in the text and remediation, writes text as it is, and records fell_mb = -1.5 twice', async () => {
    const { session } = await startSession(state.dir, fixture('negative-numbers.yaml'));
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion).toMatchObject({
      finding: 'fell',
      text: 'RSS \u22121.5 MiB (\u22121.5); parsed \u22121, label -1-low',
      remediation: 'Nothing to do: \u22121.5 MiB is a fall.',
      numbers: { fell_mb: -1.5, from_text: -1.5 },
    });
  });
});
