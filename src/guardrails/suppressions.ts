/**
 * Where suppressions live: construct metadata (`Guardrails.suppress` writes it) and, from there,
 * the synthesized JSON (`//` → `guardrails.suppressions`, written by `AwsStack.toTerraform`), so
 * the post-synth check, and anyone reading `cdk.tf.json`, sees them. Terraform ignores `//` keys.
 * This module depends on `constructs` only: the stack base in `core/` reads it.
 */
import { IConstruct } from 'constructs';

/** Metadata type of a suppression entry. */
export const SUPPRESSION_METADATA = 'guardrails:suppress';

/** A suppression as recorded on a construct. */
export interface SuppressionEntry {
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
