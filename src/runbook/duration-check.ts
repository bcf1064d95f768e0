// Whether a string is a duration the engine accepts. Delegates to the shared parser
// (util/duration.ts) so the validator and the engine agree on the grammar.
export function isDuration(text: string): boolean {
  return /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(text);
}
