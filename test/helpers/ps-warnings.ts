// `runbook ps` warns about Go processes it cannot probe because they listen in another
// network namespace. Test files run two at a time, and the fleet tests start Go services
// in sandboxes of their own (test/targets/pod-sandbox.ts, netns hosts), so a ps in another
// file may see them. These are the warnings that are about THIS test's processes, or about
// anything else: what a test that expects a clean ps must find empty.
const OTHER_NAMESPACE = /^warning: pids? ([\d, ]+) (\(.*?\) )?listens? in (another|other) network namespaces?\b/;

export function psWarningsAbout(stderr: string, ours: readonly number[]): string[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .filter((line) => {
      const elsewhere = OTHER_NAMESPACE.exec(line);
      if (elsewhere === null) return true;
      const pids = elsewhere[1]!.split(',').map((pid) => Number(pid.trim()));
      return pids.some((pid) => ours.includes(pid));
    });
}
