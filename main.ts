// The app: `npm run synth [-- <stack>...] [--hcl] [--verbose]` runs this file directly and `cdktf synth`
// runs it without arguments; tools/synth/command.ts reads the arguments, builds the stacks and synthesizes.
import { runOrExit } from './src/core/errors';
import { synthCommand } from './tools/synth/command';

runOrExit(() => synthCommand(process.argv.slice(2)));
