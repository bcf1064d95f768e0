// The built-in names the engine provides to every template and expression, besides
// inputs and step facts. The validator accepts these without a declaration.

export const BUILTIN_PATHS = ['session.id', 'session.dir', 'session.host', 'runbook.id', 'target'] as const;
export type BuiltinPath = (typeof BUILTIN_PATHS)[number];
