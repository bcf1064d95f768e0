import { describe, expect, it } from 'vitest';
import { displayPath } from '../../src/util/display-path.js';

describe('displayPath', () => {
  it('shortens paths under the home directory to ~, and only those', () => {
    expect(displayPath('/home/ana/.local/state/runbook/sessions/X', '/home/ana')).toBe('~/.local/state/runbook/sessions/X');
    expect(displayPath('/home/ana', '/home/ana/')).toBe('~');
    expect(displayPath('/home/anabel/x', '/home/ana')).toBe('/home/anabel/x');
    expect(displayPath('/srv/x', '/')).toBe('/srv/x');
  });
});
