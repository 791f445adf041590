import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';

/**
 * Synthesizes `app` and removes the other output form left in each stack's directory by an
 * earlier synth: `cdktf synth --hcl` writes `cdk.tf` but leaves an old `cdk.tf.json` beside it
 * (and the reverse), and Terraform would load both and fail on duplicate definitions.
 */
export function synthesize(app: App): void {
  app.synth();
  const stale = app.manifest.hclOutput ? ['cdk.tf.json'] : ['cdk.tf', 'metadata.json'];
  for (const stack of Object.values(app.manifest.stacks)) {
    for (const file of stale) fs.rmSync(path.join(app.outdir, stack.workingDirectory, file), { force: true });
  }
}
