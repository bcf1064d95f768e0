import type { CommandModule } from 'yargs';
import type { CaptureFlags } from '../capture-run.js';

export const captureCommand: CommandModule<object, CaptureFlags> = {
  command: 'capture',
  describe: 'Capture an incident bundle from a live Go process (snapshots an interval apart) for replay with --bundle',
  builder: (yargs) =>
    yargs
      .option('pid', { type: 'number', demandOption: true, describe: 'the process (see `runbook ps`)' })
      .option('target', { type: 'string', describe: 'the process runs on ssh://[user@]host[:port] or kubectl://[context/]namespace/pod[/container]; --pid, --pprof and --gctrace are as seen there (docs/remote.md)' })
      .option('pprof', { type: 'string', describe: 'net/http/pprof base URL (default: found from its listening sockets)' })
      .option('interval', { type: 'string', default: '30s', describe: 'time between snapshots (500ms, 30s, 2m)' })
      .option('count', { type: 'number', default: 2, describe: 'number of snapshots' })
      .option('gctrace', { type: 'string', describe: 'log file with the process’s GODEBUG=gctrace=1 stderr, copied in' })
      .option('collect', {
        type: 'string',
        describe: 'comma-separated collectors (default: all but goroutines_debug2, malloc_info, c_allocs and the profiling window; malloc_info and c_allocs attach to the process, in the last snapshot only)',
      })
      .option('debug2', { type: 'boolean', default: false, describe: 'also save a goroutine?debug=2 dump with each snapshot: it names each goroutine’s creator and wait reason, but stops the world while it is written (the time is printed)' })
      .option('profile', {
        type: 'boolean',
        describe: 'from the second snapshot on, also a 5 s CPU profile and execution trace (costs the process a few % CPU for those seconds; docs/collectors.md), read with go tool trace where Go is installed',
      })
      .option('title', { type: 'string', describe: 'one line on what the incident shows, kept in meta.json (the TUI home screen lists bundles by it)' })
      .option('runbook', { type: 'string', describe: 'id of the runbook the incident is for, kept in meta.json (preselected when the bundle is opened)' })
      .option('out', { type: 'string', demandOption: true, describe: 'new directory for the bundle' }),
  handler: async (args) => {
    const { runCapture } = await import('../capture-run.js');
    await runCapture(args);
  },
};
