#!/usr/bin/env node
// Bundles the CLI for start-up time (issue 19): `bin/runbook.js` loads dist/bundle/main.js,
// one file with yargs and the command table, instead of ~100 small ES modules; what a command
// loads lazily (Ink and React for the TUI, the engine, the parsers) becomes a chunk loaded on
// first use. React's production build is chosen at build time (NODE_ENV defined here), so
// nothing is set in the environment that step processes inherit. Runs after `tsc` in
// `npm run build`; dist/ keeps the per-module output the tests and benches import.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NARROW_TEXT } from './narrow-text.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });

// Start-up costs in dependencies, removed in the bundle (each edit fails the build when its
// text is gone, so an upgrade makes us look again):
const startupPatches = [
  // Ink's layout engine (yoga, emscripten built for the web) loads its inlined wasm with
  // fetch() when a global fetch exists, which in Node loads undici first: ~90 ms of CPU
  // before the TUI's first frame (measured). Without fetch it decodes the same bytes itself.
  { file: /yoga-layout[\\/]dist[\\/]binaries[\\/].*\.js$/, from: '"function"!=typeof fetch', to: 'true' },
  // yargs renders the whole help text after starting any command's handler, in case the
  // handler later calls showHelp(); ours never do (failures throw UserError, main.ts). The
  // rendering (cliui, wrap-ansi, string-width) was 14 % of `runbook list` (CPU profile).
  { file: /yargs[\\/]build[\\/]lib[\\/]usage\.js$/, from: 'cachedHelpMessage = this.help();', to: '' },
  // string-width (every copy: Ink's, wrap-ansi's, cliui's) measures text one grapheme at a
  // time with Intl.Segmenter and emoji regexes unless it is printable ASCII; the home
  // screen's first frame is mostly `·`, `…`, `❯` and box drawing, one column per unit
  // (scripts/narrow-text.mjs says which and how that is checked). Same widths, no segmenter.
  {
    file: /string-width[\\/]index\.js$/,
    from: 'let width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};',
    to: `if (ambiguousIsNarrow && ${NARROW_TEXT}.test(string)) {\n\t\treturn string.length;\n\t}\n\n\tlet width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};`,
  },
];

const patchDependencies = {
  name: 'startup-patches',
  setup(build) {
    for (const patch of startupPatches) {
      build.onLoad({ filter: patch.file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(patch.from)) throw new Error(`${args.path}: no "${patch.from}" to patch (the dependency changed; revisit scripts/bundle.mjs)`);
        return { contents: source.replaceAll(patch.from, patch.to), loader: 'js' };
      });
    }
  },
};

await build({
  absWorkingDir: root,
  // The watchdog is started as its own process by path (src/exec/watchdog.ts), so it is an entry too.
  entryPoints: { main: 'src/cli/main.ts', 'watchdog-main': 'src/exec/watchdog-main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  // Ink's optional React DevTools bridge (only with DEV=true) is not a dependency.
  external: ['react-devtools-core'],
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies (React) call require() for Node built-ins.
  banner: { js: "import { createRequire as __runbookRequire } from 'node:module'; const require = __runbookRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  // Less source for V8 to scan at each start (the Ink/React chunk's compile was the largest
  // item before the home screen's first frame): 2.96 -> 2.12 MB. Names are kept, so stack
  // traces in failure reports stay readable; the linked source map has the lines.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [patchDependencies],
});
