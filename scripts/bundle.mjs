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

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });

// Ink's layout engine (yoga, emscripten built for the web) loads its inlined wasm with
// fetch() when a global fetch exists, which in Node loads undici first: ~90 ms of CPU
// before the TUI's first frame (measured). Without fetch it decodes the same bytes itself.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const patched = source.replaceAll('"function"!=typeof fetch', 'true');
      if (patched === source) throw new Error(`${args.path}: no fetch check to remove (yoga-layout changed; revisit scripts/bundle.mjs)`);
      return { contents: patched, loader: 'js' };
    });
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
  logLevel: 'warning',
  plugins: [yogaWithoutFetch],
});
