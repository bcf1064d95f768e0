// Loaded with `node --import` (via NODE_OPTIONS) by cli.test.ts: installs a module
// resolve hook that makes any import of React or Ink fail loudly, so a command that
// loads them cannot pass the test.
import { register } from 'node:module';

register('./refuse-ui-imports-hook.mjs', import.meta.url);
