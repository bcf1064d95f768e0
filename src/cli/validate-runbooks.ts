// `runbook validate [FILES…]`: one `FILE:LINE:COL: message` line per problem on
// stdout, a summary on stderr, exit 2 when anything is wrong.
import { stat } from 'node:fs/promises';
import { ExitCode } from '../errors.js';
import { discoverRunbookFiles, runbookFilesIn } from '../runbook/discover.js';
import { isSignatureCatalogueFile, loadSignatureFile, shippedSignaturesDir } from '../runbook/goroutine-signatures.js';
import { loadRunbookFile } from '../runbook/load.js';
import { formatProblem } from '../runbook/problem.js';
import { setExitCode } from './exit-code.js';

export async function validateRunbooks(paths: readonly string[]): Promise<void> {
  // With no paths: every runbook found, and the shipped goroutine signature catalogue.
  const files = paths.length > 0 ? await expandYamlPaths(paths) : [...(await discoverRunbookFiles()), ...(await runbookFilesIn(shippedSignaturesDir))];
  let problemCount = 0;
  let invalidFiles = 0;
  for (const file of files) {
    const { problems } = isSignatureCatalogueFile(file) ? await loadSignatureFile(file) : await loadRunbookFile(file);
    if (problems.length > 0) invalidFiles++;
    problemCount += problems.length;
    for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
  }
  // "runbooks" unless a signature catalogue is among them.
  const noun = `${files.some(isSignatureCatalogueFile) ? 'file' : 'runbook'}${files.length === 1 ? '' : 's'}`;
  const summary =
    files.length === 0
      ? 'no runbooks to validate'
      : problemCount === 0
        ? `${files.length} ${noun} valid`
        : `${problemCount} problem${problemCount === 1 ? '' : 's'} in ${invalidFiles} of ${files.length} ${noun}`;
  process.stderr.write(`runbook validate: ${summary}\n`);
  setExitCode(problemCount === 0 && files.length > 0 ? ExitCode.ok : ExitCode.usage);
}

/** Directories become the *.yaml / *.yml files directly inside them; files stay as given
 *  (a missing one is reported by the loader as a problem of its own). */
export async function expandYamlPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const isDirectory = await stat(path).then((s) => s.isDirectory(), () => false);
    files.push(...(isDirectory ? await runbookFilesIn(path) : [path]));
  }
  return files;
}
