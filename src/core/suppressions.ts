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
}
