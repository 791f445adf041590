// Assembles the App: reads settings, builds every stack, synthesizes. Nothing else lives here.
import { createApp, synthesize } from './tools/synth';
import { runOrExit } from './src/core/errors';
import { SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV, describeSources } from './stacks/settings';
import { buildApp } from './stacks';

runOrExit(() => {
  const app = createApp();
  const sources = { context: app.node.tryGetContext(SETTINGS_CONTEXT_KEY), file: process.env[SETTINGS_FILE_ENV] };
  process.stdout.write(`${describeSources(sources)}\n`);
  buildApp(app, sources);
  synthesize(app);
});
