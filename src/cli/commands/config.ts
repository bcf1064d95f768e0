import type { CommandModule } from 'yargs';

interface ConfigArgs {
  action: 'get' | 'set' | 'list';
  key?: string;
  value?: string;
}

export const configCommandModule: CommandModule<object, ConfigArgs> = {
  command: 'config <action> [key] [value]',
  describe: 'User settings: runbook config list | get KEY | set KEY VALUE',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: ['get', 'set', 'list'] as const, demandOption: true })
      .positional('key', { type: 'string', describe: 'defaultTimeout, stateDir, confirm or prometheus' })
      .positional('value', { type: 'string' }),
  handler: async (args) => {
    const { configCommand } = await import('../../runner/config-command.js');
    configCommand(args.action, args.key, args.value);
  },
};
