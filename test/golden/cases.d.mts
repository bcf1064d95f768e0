// Types of cases.mjs, plain JavaScript shared with generate.mjs (which runs without a build).
export declare const fixturesRoot: string;
/** Every fixture file a parser could be handed, relative to test/fixtures. */
export declare function inputFiles(): string[];
/** Before/after pairs for the diffs, relative to test/fixtures. */
export declare function diffPairs(): Array<[string, string]>;
export declare function resultJson(result: unknown): string;
/** argv lists of `runbook parse` and `runbook diff` runs. */
export declare function cliCases(): string[][];
export declare function digest(result: unknown): string;
export declare function cliEnv(): Record<string, string>;
export declare function cliDigest(exitCode: number | undefined, stdout: string, stderr: string): string;
