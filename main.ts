// Assembles the App: reads settings, builds every stack, synthesizes. Nothing else lives here.
import { App } from 'cdktf';
import { synthesize } from './src/core/app';
import { runOrExit } from './src/core/errors';
import { SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV, describeSources } from './src/settings';
import { buildApp } from './stacks';

runOrExit(() => {
  // No stack trace in the annotations of cdktf.out/manifest.json: they hold this machine's absolute
  // paths and line numbers, so the output would differ between checkouts and after any edit.
  const app = new App({ stackTraces: false });
  const sources = { context: app.node.tryGetContext(SETTINGS_CONTEXT_KEY), file: process.env[SETTINGS_FILE_ENV] };
  process.stdout.write(`${describeSources(sources)}\n`);
  buildApp(app, sources);
  synthesize(app);
});
