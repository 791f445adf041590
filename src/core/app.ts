import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from './validation';
import { AwsStack } from './aws-stack';
import { GuardrailsError, enforce } from '../guardrails';

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
 * and the `provider` of a resource using an aliased provider (`provider = "aws.us_east_1"`), which
 * Terraform deprecates ("Quoted references are deprecated") and will stop accepting; this writes
 * them bare, as Terraform's own style does.
 */
export function unquoteReferences(hcl: string): string {
  return hcl
    .replace(/^(\s*(?:depends_on|ignore_changes) = \[\n)((?:\s*"[^"\n]+",\n)*)(\s*\])/gm, (_m, head: string, items: string, close: string) => head + items.replace(/"([^"\n]+)",$/gm, '$1,') + close)
    .replace(/^(\s*provider = )"([A-Za-z][A-Za-z0-9_-]*\.[A-Za-z][A-Za-z0-9_-]*)"$/gm, '$1$2');
}

/**
 * Synthesizes `app`, then tidies the output: HCL references unquoted (`unquoteReferences`), and
 * the other output form left in each stack's directory by an earlier synth removed (`cdktf synth
 * --hcl` writes `cdk.tf` but leaves an old `cdk.tf.json` beside it, and the reverse, and Terraform
 * would load both and fail on duplicate definitions). Last, the guardrails rule pack checks every
 * stack's document (`src/guardrails`): warnings and suppressions are printed to `log`, and a
 * finding of error severity throws (exit status 1 through `runOrExit`) after removing the failing
 * stacks' configuration, so nothing that broke a rule is left to plan or apply.
 */
export function synthesize(app: App, log?: (line: string) => void): void {
  assertValid(app);
  synthesizeStacks(app);
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
  checkGuardrails(app, log);
}

/**
 * Runs the guardrails over every synthesized stack. A JSON synth has just built each document
 * (`AwsStack.lastTerraform`); HCL output is written from another rendering, so there the JSON
 * document is built once more for the check.
 */
function checkGuardrails(app: App, log?: (line: string) => void): void {
  try {
    checkSynthesized(app.node.findAll().filter(TerraformStack.isStack), log, !app.manifest.hclOutput);
  } catch (e) {
    if (!(e instanceof GuardrailsError)) throw e;
    for (const stack of Object.values(app.manifest.stacks)) {
      if (e.stacks.includes(stack.name)) fs.rmSync(path.join(app.outdir, stack.synthesizedStackPath), { force: true });
    }
    throw e;
  }
}

/**
 * Runs the guardrails (`src/guardrails`) over stacks synthesized in memory (`Testing.synth`, as
 * `npm run cost` and `npm run diagrams` do): the document each stack last produced, or a fresh one.
 * Prints warnings and suppressions to `log`; throws a `GuardrailsError` on an error-severity finding.
 */
export function checkSynthesized(stacks: readonly TerraformStack[], log?: (line: string) => void, reuse = true): void {
  enforce(stacks.map((s) => ({ name: s.node.id, json: (reuse && s instanceof AwsStack && s.lastTerraform) || s.toTerraform() })), log);
}

/**
 * `App.synth()` without its preparing pass. cdktf resolves every element of every stack twice: once
 * in `prepareStack()` to discover cross-stack references (which create outputs and remote state
 * data sources) and once to write it; the stacks here never reference each other, so the first
 * pass is a third of synth time spent on nothing. Validation has already run (`assertValid`, the
 * same checks as cdktf's). Should a stack ever gain a cross-stack reference, its dependencies show
 * it after writing and the app is synthesized again the standard way.
 */
export function synthesizeStacks(app: App): void {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  for (const stack of stacks) stack.ensureBackendExists();
  const session = { outdir: app.outdir, skipValidation: true, manifest: app.manifest };
  for (const stack of stacks) stack.synthesizer.synthesize(session);
  if (stacks.some((s) => s.dependencies.length > 0)) {
    app.synth();
    return;
  }
  app.manifest.writeToFile();
}
