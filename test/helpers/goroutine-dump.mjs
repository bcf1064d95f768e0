// Large goroutine?debug=2 dumps for the tests and the bench (issue 17 item 4): a real dump
// repeated, each copy's goroutines renumbered (as a service leaking goroutines writes ever
// new ids over the same few stacks), written in batches so the generator's memory stays small.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

const HEADER_ID = /^goroutine (\d+) /gm;

/**
 * Writes copies of the debug=2 dump `source` to `file` until it holds at least `minBytes`.
 * Returns how many copies and goroutines were written and the file's size.
 */
export function writeRepeatedDump(source, file, minBytes) {
  const text = readFileSync(source, 'utf8');
  const ids = [...text.matchAll(HEADER_ID)].map((m) => Number(m[1]));
  if (ids.length === 0 || !text.endsWith('\n')) throw new Error(`${source}: not a complete debug=2 dump`);
  const stride = 10 ** String(Math.max(...ids)).length;
  const copies = Math.ceil(minBytes / (Buffer.byteLength(text) + 1));
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    for (let copy = 0; copy < copies; copy++) {
      // A blank line ends each copy's last block, as between any two blocks.
      const renumbered = `${text.replace(HEADER_ID, (_, id) => `goroutine ${copy * stride + Number(id)} `)}\n`;
      bytes += writeSync(fd, renumbered);
    }
  } finally {
    closeSync(fd);
  }
  return { copies, goroutines: copies * ids.length, bytes };
}
