// Interactive or plain, decided before Ink is loaded: a terminal on both ends, no CI, no
// --non-interactive/--json. Forcing the TUI where it cannot work is a UserError with the
// way out, never Ink's "Raw mode is not supported".
import { describe, expect, it } from 'vitest';
import { requireTerminalForHome, wantsInteractive, whyNoTui } from '../../src/app/interactive.js';
import { UserError } from '../../src/errors.js';
import { fixtureRunbooks } from './harness.js';
import { runCli } from '../helpers/cli.js';

const tty = { stdinIsTTY: true, stdoutIsTTY: true, env: {} };
const flags = { nonInteractive: false, json: false };

describe('interactive or plain', () => {
  it('opens the TUI only with a terminal on stdin and stdout and no CI', () => {
    expect(wantsInteractive(flags, tty)).toBe(true);
    expect(wantsInteractive(flags, { ...tty, stdoutIsTTY: false })).toBe(false);
    expect(wantsInteractive(flags, { ...tty, stdinIsTTY: false })).toBe(false);
    expect(wantsInteractive(flags, { ...tty, env: { CI: 'true' } })).toBe(false);
    expect(wantsInteractive(flags, { ...tty, env: { CI: '0' } })).toBe(true);
    expect(wantsInteractive({ ...flags, nonInteractive: true }, tty)).toBe(false);
    expect(wantsInteractive({ ...flags, json: true }, tty)).toBe(false);
    expect(whyNoTui({ ...tty, stdoutIsTTY: false })).toBe('stdout is not a terminal (it is redirected)');
  });

  it('refuses a forced TUI without a terminal with a message that says what to do', () => {
    const forced = { ...flags, interactive: true };
    expect(() => wantsInteractive(forced, { ...tty, stdinIsTTY: false })).toThrow(UserError);
    expect(() => wantsInteractive(forced, { ...tty, stdinIsTTY: false })).toThrow(/--interactive needs a terminal, but stdin is not a terminal/);
    expect(() => requireTerminalForHome({ ...tty, env: { CI: '1' } })).toThrow(/the home screen needs a terminal, but CI is set/);
    expect(() => requireTerminalForHome(tty)).not.toThrow();
  });

  it('the binary without a terminal: `runbook` and `runbook run --interactive` explain, never crash in Ink', async () => {
    const home = await runCli([]);
    expect(home.exitCode).toBe(2);
    expect(home.stderr).toContain('the home screen needs a terminal');
    expect(home.stderr).toContain('runbook run RUNBOOK --non-interactive');
    const forced = await runCli(['run', `${fixtureRunbooks}manual.yaml`, '--interactive']);
    expect(forced.exitCode).toBe(2);
    expect(forced.stderr).toContain('--interactive needs a terminal');
    for (const output of [home.stderr, forced.stderr]) {
      expect(output).not.toContain('Raw mode');
      expect(output).not.toMatch(/\n\s+at /);
    }
  });
});
