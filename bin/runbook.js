#!/usr/bin/env node
// Thin shim: the CLI lives in dist/bundle/ (built by `npm install` through `prepare`).
import { main } from '../dist/bundle/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // Last resort only: user mistakes are reported as UserError inside main().
    process.stderr.write(`runbook: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 70;
  },
);
