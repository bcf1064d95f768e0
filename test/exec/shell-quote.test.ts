// quoteForShell output pasted into a real bash (and zsh, when installed) must run the
// very same argv, byte for byte.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteForShell } from '../../src/exec/shell-quote.js';
import { shellArgv } from '../../src/exec/shell-form.js';

/** What `printf '%s\0' ARGS` prints when the shell parses `quoted` into ARGS. */
function argvSeenBy(shell: string, quoted: string): Buffer {
  return execFileSync(shell, ['-c', `printf '%s\\0' ${quoted}`], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function expectedBytes(argv: string[]): Buffer {
  return Buffer.from(argv.map((argument) => `${argument}\0`).join(''), 'utf8');
}

const SPECIALS = ["'", '"', '$', '`', '\\', '\n', ' ', '\t', '!', '*', '?', '~', '=', '#', ';', '&', '|', '(', ')',
  '<', '>', '{', '}', '[', ']', '%', '^', ',', ':', '@', '-', '\x01', '\x1b', '\x7f', 'é', '✓', '𝄞'];

const argumentArbitrary = fc
  .string({
    unit: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...SPECIALS) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    ),
    maxLength: 12,
  })
  // Neither argv nor a shell word can carry NUL.
  .filter((argument) => !argument.includes('\0'));

const shells = ['/bin/bash', '/usr/bin/zsh'].filter((shell) => existsSync(shell));

describe('quoteForShell', () => {
  it('leaves plain words alone and quotes only what needs it', () => {
    expect(quoteForShell(['kubectl', '-n', 'prod', 'logs', 'pod/api-7f9', '--since=5m'])).toBe(
      'kubectl -n prod logs pod/api-7f9 --since=5m',
    );
    expect(quoteForShell(['echo', '', "it's", '$(id)', '=cmd', 'a b'])).toBe(
      `echo '' 'it'\\''s' '$(id)' '=cmd' 'a b'`,
    );
  });

  for (const shell of shells) {
    it(`round-trips any argv through ${shell}`, () => {
      fc.assert(
        fc.property(fc.array(argumentArbitrary, { minLength: 1, maxLength: 6 }), (argv) => {
          expect(argvSeenBy(shell, quoteForShell(argv))).toEqual(expectedBytes(argv));
        }),
        { numRuns: 200 },
      );
    });
  }
});

describe('shellArgv', () => {
  it('runs the fixed script with /bin/sh -c', () => {
    expect(shellArgv('ps aux | grep "$NAME"')).toEqual(['/bin/sh', '-c', 'ps aux | grep "$NAME"']);
  });
});
