// Assembles the App: reads settings, builds every stack, synthesizes. Nothing else lives here.
import { App } from 'cdktf';
import { synthesize } from './src/core/app';
import { runOrExit } from './src/core/errors';
import { SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV } from './src/settings';
import { buildApp } from './stacks';

runOrExit(() => {
  const app = new App();
  buildApp(app, { context: app.node.tryGetContext(SETTINGS_CONTEXT_KEY), file: process.env[SETTINGS_FILE_ENV] });
  synthesize(app);
});
