import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from './validation';

/**
 * Runs the checks constructs can only make once the whole app is built (a default strategy
 * naming a provider registered later, duplicate Service Connect names, a task's containers
 * against its size) and throws one `ValidationError` listing every problem.
 */
export function assertValid(scope: IConstruct): void {
  const problems = scope.node.findAll().flatMap((c) => c.node.validate());
  if (problems.length === 1) throw new ValidationError(problems[0]);
  if (problems.length > 1) throw new ValidationError(['invalid app:', ...problems.map((p) => `  ${p}`)].join('\n'));
}

/**
 * cdktf 0.21 writes references in `depends_on` and `ignore_changes` of its HCL output in quotes,
 * which Terraform deprecates ("Quoted references are deprecated") and will stop accepting; this
 * writes them bare, as Terraform's own style does.
 */
export function unquoteReferences(hcl: string): string {
  return hcl.replace(/^(\s*(?:depends_on|ignore_changes) = \[\n)((?:\s*"[^"\n]+",\n)*)(\s*\])/gm, (_m, head: string, items: string, close: string) => head + items.replace(/"([^"\n]+)",$/gm, '$1,') + close);
}

/**
 * Synthesizes `app`, then tidies the output: HCL references unquoted (`unquoteReferences`), and
 * the other output form left in each stack's directory by an earlier synth removed (`cdktf synth
 * --hcl` writes `cdk.tf` but leaves an old `cdk.tf.json` beside it, and the reverse, and Terraform
 * would load both and fail on duplicate definitions).
 */
export function synthesize(app: App): void {
  assertValid(app);
  app.synth();
  const hcl = app.manifest.hclOutput;
  const stale = hcl ? ['cdk.tf.json'] : ['cdk.tf', 'metadata.json'];
  for (const stack of Object.values(app.manifest.stacks)) {
    const dir = path.join(app.outdir, stack.workingDirectory);
    for (const file of stale) fs.rmSync(path.join(dir, file), { force: true });
    if (hcl) {
      const file = path.join(app.outdir, stack.synthesizedStackPath);
      fs.writeFileSync(file, unquoteReferences(fs.readFileSync(file, 'utf8')));
    }
  }
}
