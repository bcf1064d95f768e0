// ASCII codes of the bytes the byte-scanning parsers (gctrace, proc-maps) test for, named once.
export const CR = 13;
export const SPACE = 32;
export const PERCENT = 37;
export const PLUS = 43;
export const DASH = 45;
export const DOT = 46;
export const SLASH = 47;
export const ZERO = 48;
export const NINE = 57;
export const COLON = 58;
export const AT = 64;
