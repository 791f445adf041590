/**
 * Guardrail suppressions as construct metadata. The rule pack itself is the toolchain's
 * (`tools/guardrails`); the library only records which finding a construct intends and why, and
 * the post-synth check rejects a suppression that names no rule.
 *
 * Where suppressions live: construct metadata (`Guardrails.suppress` writes it) and, from there,
 * the synthesized JSON (`//` → `guardrails.suppressions`, written by `AwsStack.toTerraform`), so
 * the post-synth check, and anyone reading `cdk.tf.json`, sees them. Terraform ignores `//` keys.
 * This module depends on `constructs` only: the stack base in `core/` reads it.
 */
import { IConstruct } from 'constructs';
import { ValidationError } from './validation';

/** Metadata type of a suppression entry. */
const SUPPRESSION_METADATA = 'guardrails:suppress';
/** Metadata type of an acceptance of a production-gate finding (the user's written reason). */
const ACCEPTANCE_METADATA = 'guardrails:accept';
/** Metadata type of the setting that closes a production-gate finding. */
const CLOSURE_METADATA = 'guardrails:close-with';

/** A suppression as recorded on a construct. */
interface SuppressionEntry {
  readonly rule: string;
  readonly reason: string;
}

/** Every suppression recorded on `scope` and below it, with the path of the construct that holds it. */
export function suppressionsIn(scope: IConstruct): { path: string; rule: string; reason: string }[] {
  const out: { path: string; rule: string; reason: string }[] = [];
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== SUPPRESSION_METADATA) continue;
      const e = m.data as SuppressionEntry;
      out.push({ path: c.node.path, rule: e.rule, reason: e.reason });
    }
  }
  return out;
}

/** A recorded guardrails entry: the construct path, the rule, and its text (a reason or a setting). */
export interface GuardrailsEntry {
  readonly path: string;
  readonly rule: string;
}

function entriesIn<T extends object>(scope: IConstruct, type: string): (T & GuardrailsEntry)[] {
  const out: (T & GuardrailsEntry)[] = [];
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) if (m.type === type) out.push({ path: c.node.path, ...(m.data as T & { rule: string }) });
  }
  return out;
}

/** Every acceptance recorded on `scope` and below it (`Guardrails.accept`). */
export function acceptancesIn(scope: IConstruct): { path: string; rule: string; reason: string }[] {
  return entriesIn<{ rule: string; reason: string }>(scope, ACCEPTANCE_METADATA);
}

/** Every closing setting recorded on `scope` and below it (`Guardrails.closeWith`). */
export function closuresIn(scope: IConstruct): { path: string; rule: string; setting: string }[] {
  return entriesIn<{ rule: string; setting: string }>(scope, CLOSURE_METADATA);
}

/** Shortest reason accepted for a suppression: a few words, not "ok" or a ticket number alone. */
export const MIN_REASON = 20;

export class Guardrails {
  /**
   * Suppresses `ruleId` on `scope` and every construct below it. `reason` is required: it is shown
   * in the report next to every finding it hides, and a reviewer must be able to accept it. A
   * `ruleId` the rule pack does not have fails the post-synth check (with a did-you-mean).
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    const where = `${scope.node.path}: guardrails suppression`;
    const text = reason.trim().replace(/\s+/g, ' ');
    if (text.length < MIN_REASON) throw new ValidationError(`${where} of ${ruleId}: reason ${JSON.stringify(reason)} is too short; say why the finding is intended (at least ${MIN_REASON} characters)`);
    const existing = scope.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA).map((m) => (m.data as SuppressionEntry).rule);
    if (existing.includes(ruleId)) throw new ValidationError(`${where}: ${ruleId} is already suppressed here`);
    const entry: SuppressionEntry = { rule: ruleId, reason: text };
    scope.node.addMetadata(SUPPRESSION_METADATA, entry);
  }

  /**
   * Accepts the production-gate findings of `ruleId` on `scope` and below it, with the user's
   * written `reason`: the deploy command then applies the environment, and every synth summary
   * shows the finding as accepted with this reason. Only gate rules can be accepted (the
   * post-synth check refuses others); the stacks record what `guardrails.accept` in a stack's
   * settings says.
   */
  public static accept(scope: IConstruct, ruleId: string, reason: string): void {
    const text = reason.trim().replace(/\s+/g, ' ');
    if (text.length < MIN_REASON) throw new ValidationError(`${scope.node.path}: guardrails acceptance of ${ruleId}: reason ${JSON.stringify(reason)} is too short; say why the environment may run with this finding open (at least ${MIN_REASON} characters)`);
    scope.node.addMetadata(ACCEPTANCE_METADATA, { rule: ruleId, reason: text });
  }

  /**
   * Records the setting that closes `ruleId`'s production-gate findings on `scope` and below it
   * (`stacks.vision-validator.domain`), shown with each open finding so the user knows what to give.
   */
  public static closeWith(scope: IConstruct, ruleId: string, setting: string): void {
    scope.node.addMetadata(CLOSURE_METADATA, { rule: ruleId, setting });
  }
}
