/**
 * Every patch this project makes to cdktf's synthesis, in one module. Each one removes work whose
 * result is thrown away for this app; none changes a byte of the output, which a test holds for
 * every stack and every settings variant the tests plan (`__tests__/tools/synth/parity.test.ts`:
 * the patched synth against cdktf's own, file by file).
 *
 * - **No stack trace per token.** cdktf records a complete stack trace for every token it creates
 *   (every attribute reference, `Lazy` value and function call), only to quote it if that token
 *   later fails to resolve: about a tenth of synth time. The recorder returns an empty trace;
 *   errors still name the token and the construct path. `CDKTF_TOKEN_TRACES=1` keeps the traces.
 * - **One resolve pass per stack.** `TerraformStack.toTerraform()` resolves every element, merges
 *   the fragments and then resolves the merged document once more. Every fragment is already
 *   resolved on its own, and only stack-level overrides (`addOverride` on the stack) can hold
 *   tokens at that point, so without them the second pass re-walks about a megabyte of plain JSON:
 *   a tenth of synth time. With stack-level overrides cdktf's own method runs.
 * - **No preparing pass.** `App.synth()` resolves every stack once in `prepareStack()` to discover
 *   cross-stack references, then again to write it. The stacks here never reference each other,
 *   so `synthesizeStacks` writes each stack once; should a stack ever gain a cross-stack
 *   reference, its dependencies show it after writing and the app is synthesized again the
 *   standard way. Every construct's own validation runs before (tools/synth `assertValid`), except
 *   cdktf's checks that run `terraform version` (a `moved` block's >= 1.5, `terraform_data`'s
 *   >= 1.4): every stack states `required_version >= 1.10` instead, which Terraform enforces.
 *
 * `CDKTF_FAST_SYNTH=0` switches every patch off: the app then synthesizes exactly as cdktf does.
 */
import { App, TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
import { resolve } from 'cdktf/lib/_tokens';
import { deepMerge } from 'cdktf/lib/util';
import { IConstruct } from 'constructs';

/** Environment variable that switches the fast path off (`0`). */
export const FAST_SYNTH_ENV = 'CDKTF_FAST_SYNTH';
/** Environment variable that keeps cdktf's stack trace per token (`1`), for debugging. */
export const TOKEN_TRACES_ENV = 'CDKTF_TOKEN_TRACES';

/** Whether the fast path is on in `env` (it is unless `CDKTF_FAST_SYNTH=0`). */
export function fastPathEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[FAST_SYNTH_ENV] !== '0';
}

interface Installed {
  readonly uninstall: () => void;
}
let installed: Installed | undefined;

type ToTerraform = (this: TerraformStack) => any;

/**
 * Installs the patches (once per process) unless `CDKTF_FAST_SYNTH=0`; returns whether they are
 * in place. Install before building stacks: tokens record their trace when they are created.
 */
export function installFastPath(env: NodeJS.ProcessEnv = process.env): boolean {
  if (installed) return true;
  if (!fastPathEnabled(env)) return false;
  const undo: (() => void)[] = [];
  if (env[TOKEN_TRACES_ENV] !== '1') {
    // Every caller reads the export at call time (`(0, stack_trace_1.captureStackTrace)()`).
    const recorder = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: unknown) => string[] };
    const original = recorder.captureStackTrace;
    recorder.captureStackTrace = () => [];
    undo.push(() => (recorder.captureStackTrace = original));
  }
  const proto = TerraformStack.prototype as unknown as { toTerraform: ToTerraform };
  const originalToTerraform = proto.toTerraform;
  proto.toTerraform = function toTerraformOnePass(this: TerraformStack) {
    return onePassDocument(this, originalToTerraform);
  };
  undo.push(() => (proto.toTerraform = originalToTerraform));
  installed = { uninstall: () => undo.reverse().forEach((u) => u()) };
  return true;
}

/** Removes the patches (the parity test compares both ways in one process). */
export function uninstallFastPath(): void {
  installed?.uninstall();
  installed = undefined;
}

/** cdktf's `toTerraform()` without its second resolve of the merged document. */
function onePassDocument(stack: TerraformStack, standard: ToTerraform): any {
  const self = stack as unknown as { cdktfVersion: string; rawOverrides: Record<string, unknown> };
  if (Object.keys(self.rawOverrides).length > 0) return standard.call(stack);
  const elements = terraformElements(stack);
  const metadata: Record<string, unknown> = { version: self.cdktfVersion, stackName: stack.node.id, backend: 'local', cloud: undefined };
  for (const meta of elements.map((e) => resolve(stack, e.toMetadata()))) deepMerge(metadata, meta);
  const outputs: Record<string, unknown> = {};
  for (const e of elements) {
    if (!TerraformOutput.isTerraformOutput(e)) continue;
    deepMerge(outputs, e.node.path.split('/').reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: e.friendlyUniqueId } : { [part]: inner }), {}));
  }
  const tf: Record<string, unknown> = { '//': { metadata, outputs } };
  for (const fragment of elements.map((e) => resolve(stack, e.toTerraform()))) deepMerge(tf, fragment);
  return tf;
}

/** The Terraform elements of a stack, not descending into nested stacks (as cdktf collects them). */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) terraformElements(child, into);
  return into;
}

/**
 * `App.synth()` without its preparing pass (see the module comment); cdktf's own `App.synth()`
 * when the fast path is off or a stack references another.
 */
export function synthesizeStacks(app: App, env: NodeJS.ProcessEnv = process.env): void {
  if (!fastPathEnabled(env)) {
    app.synth();
    return;
  }
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  for (const stack of stacks) stack.ensureBackendExists();
  // Validated already (tools/synth assertValid, before this: the project has no aspects that could
  // add constructs in between), without cdktf's `terraform version` checks (see validationsOf).
  const session = { outdir: app.outdir, skipValidation: true, manifest: app.manifest };
  for (const stack of stacks) stack.synthesizer.synthesize(session);
  if (stacks.some((s) => s.dependencies.length > 0)) {
    app.synth();
    return;
  }
  app.manifest.writeToFile();
}
