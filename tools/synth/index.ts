/**
 * The synth entry: the one way the app, `npm run plan|ops|cost|diagrams` and the tests turn a
 * built app into Terraform. It creates the App (`createApp`, which installs the fast path of
 * `fast-path.ts`), checks every construct (`assertValid`), writes each stack (JSON, or HCL with
 * `SYNTH_HCL_OUTPUT`, formatted as `terraform fmt` writes it), tidies the output directory and
 * runs the guardrails over every document. The command around it (`npm run synth`, arguments and
 * report) is `command.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, AppConfig, TerraformStack, Testing } from 'cdktf';
import { IConstruct, IValidation } from 'constructs';
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';
import { AwsStack } from '../../src/core/aws-stack';
import { ValidationError } from '../../src/core/validation';
import { GuardrailsError, StackReport, enforce } from '../guardrails';
import { installFastPath, synthesizeStacks } from './fast-path';
import { formatHclFiles, tidyHcl } from './hcl';

export { formatHclFiles, restoreTerraformAttributes, tidyHcl, unquoteReferences } from './hcl';
export { FAST_SYNTH_ENV, installFastPath, uninstallFastPath } from './fast-path';

/**
 * A cdktf App for this project: the fast path installed (unless `CDKTF_FAST_SYNTH=0`), and no
 * stack trace in the annotations of cdktf.out/manifest.json (they hold this machine's absolute
 * paths and line numbers, so the output would differ between checkouts and after any edit).
 */
export function createApp(config: AppConfig = {}): App {
  installFastPath();
  // skipValidation: `synthesize` validates first (assertValid), without cdktf's `terraform version` checks.
  return new App({ stackTraces: false, skipValidation: true, ...config });
}

/**
 * Runs the checks constructs can only make once the whole app is built (a default strategy
 * naming a provider registered later, duplicate Service Connect names, a task's containers
 * against its size) and throws one `ValidationError` listing every problem.
 */
export function assertValid(scope: IConstruct): void {
  const problems = scope.node.findAll().flatMap(validationsOf);
  if (problems.length === 1) throw new ValidationError(problems[0]);
  if (problems.length > 1) throw new ValidationError(['invalid app:', ...problems.map((p) => `  ${p}`)].join('\n'));
}

/**
 * A construct's validation problems, without cdktf's Terraform version checks in an `AwsStack`:
 * `moved` and `import` blocks and `terraform_data` each add a check that runs `terraform version`
 * (about 0.1 s apiece, and synth fails where Terraform is not installed, though synth needs none).
 * Every AwsStack states `required_version` (>= 1.10, above every such check), which Terraform
 * itself enforces at `init`, where the version matters.
 */
function validationsOf(c: IConstruct): string[] {
  const validations = (c.node as unknown as { _validations?: IValidation[] })._validations;
  if (!Array.isArray(validations) || !c.node.scopes.some((x) => x instanceof AwsStack)) return c.node.validate();
  return validations.filter((v) => !(v instanceof ValidateBinaryVersion)).flatMap((v) => v.validate());
}

/** What synth wrote for one stack. */
export interface StackSynthesis {
  /** The stack's name. */
  readonly stack: string;
  /** Managed resources in its configuration (data sources not counted). */
  readonly resources: number;
  /** Its `Environment` tag (an `AwsStack`'s), which tells whether the production gate applies. */
  readonly environment?: string;
  /** Its guardrails findings, suppressed ones included. */
  readonly report: StackReport;
}

/**
 * Synthesizes `app`, then tidies the output: HCL references unquoted and the terraform block's
 * attributes restored from the stack's `metadata.json` (`tidyHcl`), the
 * HCL formatted by `terraform fmt` (`formatHclFiles`; one warning line on stderr when Terraform is
 * not on PATH), and the other output form left in each stack's directory by an earlier synth
 * removed (`cdktf synth --hcl` writes `cdk.tf` but leaves an old `cdk.tf.json` beside it, and the
 * reverse, and Terraform would load both and fail on duplicate definitions). Last, the guardrails
 * rule pack checks every stack's document (`tools/guardrails`): warnings and suppressions are
 * printed to `log`, and a finding of error severity throws (exit status 1 through `runOrExit`)
 * after removing the failing stacks' configuration, so nothing that broke a rule is left to plan
 * or apply. Returns what was written, stack by stack.
 */
export function synthesize(app: App, log?: (line: string) => void): StackSynthesis[] {
  assertValid(app);
  const documents = recordDocuments(app);
  synthesizeStacks(app);
  const hcl = app.manifest.hclOutput;
  const stale = hcl ? ['cdk.tf.json'] : ['cdk.tf', 'metadata.json'];
  const hclFiles: string[] = [];
  for (const stack of Object.values(app.manifest.stacks)) {
    const dir = path.join(app.outdir, stack.workingDirectory);
    for (const file of stale) fs.rmSync(path.join(dir, file), { force: true });
    if (hcl) {
      const file = path.join(app.outdir, stack.synthesizedStackPath);
      const metadata = path.join(dir, 'metadata.json');
      const terraformBlock = fs.existsSync(metadata) ? (JSON.parse(fs.readFileSync(metadata, 'utf8')).terraform ?? {}) : {};
      fs.writeFileSync(file, tidyHcl(fs.readFileSync(file, 'utf8'), terraformBlock));
      hclFiles.push(file);
    }
  }
  const warning = formatHclFiles(hclFiles);
  if (warning) process.stderr.write(`${warning}\n`);
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  const reports = checkGuardrails(app, documents, log);
  return stacks.map((s, i) => ({ stack: s.node.id, resources: resourceCount(documents.get(s)!), report: reports[i], ...(s instanceof AwsStack ? { environment: s.environment } : {}) }));
}

/** Managed resources of a synthesized document. */
function resourceCount(document: Record<string, any>): number {
  return Object.values((document.resource ?? {}) as Record<string, Record<string, unknown>>).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/**
 * Keeps the JSON document each stack writes, so the guardrails check it without resolving the
 * stack again. HCL output is written from another rendering: there the JSON document is built
 * once more for the check.
 */
function recordDocuments(app: App): Map<TerraformStack, Record<string, any>> {
  const documents = new Map<TerraformStack, Record<string, any>>();
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    const own = stack.toTerraform;
    stack.toTerraform = () => {
      const doc = own.call(stack);
      documents.set(stack, doc);
      return doc;
    };
  }
  return documents;
}

/**
 * Runs the guardrails over every synthesized stack (the documents of HCL output are built here and
 * recorded); removes the configuration of failing stacks. Returns the reports in stack order.
 */
function checkGuardrails(app: App, documents: Map<TerraformStack, Record<string, any>>, log?: (line: string) => void): StackReport[] {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  for (const s of stacks) if (!documents.has(s)) documents.set(s, s.toTerraform());
  try {
    return enforce(stacks.map((s) => ({ name: s.node.id, json: documents.get(s)! })), log);
  } catch (e) {
    if (!(e instanceof GuardrailsError)) throw e;
    for (const stack of Object.values(app.manifest.stacks)) {
      if (e.stacks.includes(stack.name)) fs.rmSync(path.join(app.outdir, stack.synthesizedStackPath), { force: true });
    }
    throw e;
  }
}

/** A stack synthesized in memory, for the commands and tests that read it without writing it. */
export interface InMemory {
  /** The document synth would write (`//` metadata and guardrail suppressions included): what the guardrails read. */
  readonly document: Record<string, any>;
  /** The document as `Testing.synth` returns it: keys sorted, every `//` removed. */
  readonly text: string;
}

/**
 * Synthesizes one stack in memory, resolving it once: its document, and `Testing.synth`'s form of
 * that same document (cdktf's own sorting and formatting).
 */
export function synthesizeInMemory(stack: TerraformStack): InMemory {
  const own = stack.toTerraform;
  let document: Record<string, any> | undefined;
  stack.toTerraform = () => (document ??= own.call(stack));
  try {
    const text = Testing.synth(stack);
    return { document: document!, text };
  } finally {
    stack.toTerraform = own;
  }
}
