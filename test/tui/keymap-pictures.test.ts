import { readFileSync } from 'node:fs';
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { gctraceParser } from '../../src/parsers/gctrace.js';
import { commandFor, footerText, KEYMAP, keyLabel } from '../../src/tui/keymap.js';
import { picturesFor } from '../../src/tui/pictures.js';
import { bars, sparkline } from '../../src/tui/sparkline.js';
import { colorsEnabled } from '../../src/tui/theme.js';
import { examplesDir } from './harness.js';

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

describe('keymap', () => {
  it('binds every key once and maps presses to commands', () => {
    const labels = KEYMAP.flatMap((b) => b.keys.map(keyLabel));
    expect(new Set(labels).size).toBe(labels.length);
    expect(commandFor('', { ...noKey, return: true })).toBe('run');
    expect(commandFor('c', { ...noKey, ctrl: true })).toBe('cancel');
    expect(commandFor('c', noKey)).toBe('copy');
    expect(commandFor('', { ...noKey, upArrow: true })).toBe('back');
    expect(commandFor('z', noKey)).toBeUndefined();
    expect(footerText('step')).toBe('Enter run · s skip · n note · f facts · x export · ↑ look back · q quit · ? keys');
    expect(footerText('running')).toBe('n note · Ctrl+C cancel · q quit · ? keys');
    expect(footerText('look-back')).toBe('Enter back · r re-run · n note · c copy · f facts · q quit · ? keys');
    // Once the session is over nothing runs, skips or re-runs.
    expect(footerText('over')).toBe('f facts · x export · ↑ look back · q quit · ? keys');
  });
});

describe('theme', () => {
  it('turns colours off under NO_COLOR (any non-empty value, as no-color.org says)', () => {
    expect(colorsEnabled({})).toBe(true);
    expect(colorsEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorsEnabled({ NO_COLOR: '1' })).toBe(false);
  });
});

describe('pictures', () => {
  it('draws a sparkline and bars scaled to the largest value', () => {
    expect(sparkline([0, 1, 2, 4, 8], 10)).toBe('▁▂▃▅█');
    expect(sparkline([1, 2, 3], 2)).toBe('▆█'); // the last two values, 2/3 of the top
    expect(bars([{ label: 'main.leak', value: 100 }, { label: 'x', value: 50 }], 10, 9, ' KiB')).toEqual([
      'main.leak ██████████ 100 KiB',
      'x         █████      50 KiB',
    ]);
  });

  it('shows STW pauses and live heap per GC cycle from a real gctrace', () => {
    const text = readFileSync(`${examplesDir}/gc-stw-pauses/gctrace.log`, 'utf8');
    const { facts } = gctraceParser.parse(text);
    const pictures = picturesFor({ gctrace: facts });
    const stw = pictures.find((p) => p.title === 'gctrace: STW pause per GC cycle');
    expect(stw?.kind).toBe('sparkline');
    expect(stw?.kind === 'sparkline' && Math.max(...stw.values)).toBeCloseTo(facts.stw_max_ms as number, 0);
    expect(pictures.some((p) => p.title === 'gctrace: live heap per GC cycle')).toBe(true);
  });

  it('draws the regions that grew from a maps diff', () => {
    const pictures = picturesFor({
      maps_diff: { grown_regions: [{ path: '[heap]', area: 'heap', delta_kb: 150000 }, { path: '', area: 'anon', delta_kb: 4096 }] },
    });
    expect(pictures).toEqual([
      { kind: 'bars', title: 'maps_diff: memory regions that grew', unit: ' KiB', bars: [{ label: '[heap]', value: 150000 }, { label: 'anon', value: 4096 }] },
    ]);
  });
});
