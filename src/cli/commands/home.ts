import type { CommandModule } from 'yargs';
import { setExitCode } from '../exit-code.js';

interface HomeArgs {
  target?: string;
}

export const homeCommand: CommandModule<object, HomeArgs> = {
  command: '$0',
  describe: 'Open the interactive home screen (processes, example incidents, runbooks, sessions)',
  builder: (yargs) =>
    yargs.option('target', {
      type: 'string',
      describe: 'list the Go processes of ssh://[user@]host[:port] or kubectl://[context/]namespace/pod[/container] and run new sessions there (docs/remote.md)',
    }),
  handler: async (args) => {
    const { openHome } = await import('../../app/home-entry.js');
    setExitCode(await openHome(args.target));
  },
};
