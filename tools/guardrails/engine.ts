/**
 * The rule engine of the guardrails: rules over one stack's synthesized Terraform JSON.
 *
 * Why a post-synth check over the JSON and not a cdktf Aspect:
 * - It sees exactly what Terraform will apply: provider defaults merged, escape-hatch overrides
 *   (`addOverride`) applied, every construct's output included, whoever wrote it. An Aspect sees
 *   provider classes whose getters return tokens, and misses overrides.
 * - Most rules are about relations between resources (a bucket and its public access block, its
 *   policy, its encryption configuration; a listener and its load balancer; a security group rule
 *   and the group it opens), which the JSON holds as `${type.name.attr}` references: the stack's
 *   model (`tools/model`) answers them, as checkov's graph checks do. In the construct tree they
 *   are tokens.
 * - It works on any synthesized stack: `cdktf synth`, `Testing.synth` in the tests, and a
 *   `cdk.tf.json` on disk (the rule tests feed it small hand-written documents; no synth needed).
 * - It costs one walk of a document that synth has already built (no second resolve pass).
 * JSON documents inside string fields (`${jsonencode(...)}` policies and container definitions)
 * are decoded with `decodeJsonencode`; references inside them come back as `${...}` strings, which
 * rules treat as "known at plan time" (never as a violation by themselves).
 */
import { Resource, StackModel, SuppressionRecord, SynthesizedDocument } from '../model';

/**
 * - `error`: synth fails;
 * - `warning`: synth prints it;
 * - `gate`: what only the user can give (a certificate or domain, an alarm recipient). Synth
 *   passes and every summary shows the open finding with the setting that closes it; the deploy
 *   command refuses a production environment (`isProductionEnvironment`) while one is open, until
 *   the setting is given or the finding is accepted with a written reason
 *   (`stacks.<stack>.guardrails.accept`), which every summary then shows.
 */
export type Severity = 'error' | 'warning' | 'gate';

/**
 * How a rule compares with a checkov check or cdk-nag rule, judged from that check's source as it
 * is written (a misspelt key or a missing case included), over the configurations AWS accepts:
 * - `equivalent`: both flag the same configurations;
 * - `broader`: the rule flags every configuration the check flags, and more;
 * - `narrower`: the check flags some configuration the rule passes (whatever else the rule flags).
 * Neither tool reads `Guardrails.suppress`: a suppressed finding is still one of theirs.
 */
export type Relation = 'equivalent' | 'broader' | 'narrower';

/** A checkov check or cdk-nag rule a rule corresponds to, and how the two compare. */
export interface Counterpart {
  /** The check's id: `CKV_AWS_91`, `CKV2_AWS_20`, `AwsSolutions-ELB2`, `NIST.800.53.R5-EC2IMDSv2Enabled`. */
  readonly id: string;
  readonly relation: Relation;
  /**
   * What differs, in one sentence: required when `narrower` (why the rule is deliberately
   * narrower), optional otherwise.
   */
  readonly difference?: string;
}

/** A rule of the pack. */
export interface Rule {
  /** Stable id, `AWS-<SERVICE>-<NNN>`: suppressions and documentation refer to it. */
  readonly id: string;
  readonly severity: Severity;
  /** What must hold, as a short sentence ("Buckets block public access"). */
  readonly title: string;
  /** Why, in one line. */
  readonly rationale: string;
  /** The corresponding checkov check(s), when there is one. */
  readonly checkov?: readonly Counterpart[];
  /** The corresponding cdk-nag rule(s), when there is one. */
  readonly cdkNag?: readonly Counterpart[];
  /**
   * Why neither checkov nor cdk-nag has a corresponding rule, for a rule with neither (shown in
   * the rule table of docs/guardrails.md; `__tests__/tools/guardrails/doc.test.ts` asks for it).
   */
  readonly noEquivalent?: string;
  /** Resource types the rule inspects. */
  readonly types: readonly string[];
  /** The problem(s) with `resource`, as messages; nothing when it complies. */
  check(resource: Resource, stack: StackModel): string | readonly string[] | undefined;
}

/** A rule violated by a resource. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly address: string;
  readonly path: string;
  readonly message: string;
  /** The reason of the suppression that covers it, if any. */
  readonly suppressed?: string;
  /** For a gate finding: the user's reason for accepting it, if they did. */
  readonly accepted?: string;
  /** For a gate finding: the setting(s) that close it, when the stack recorded them. */
  readonly closeWith?: string;
}

/** Whether a construct path `path` is `scope` or below it. */
const covers = (scope: string, path: string): boolean => path === scope || path.startsWith(`${scope}/`);

/** What a rule inspects of `type`: its resources, or the input variables for type `variable`. */
function subjects(stack: StackModel, type: string): readonly Resource[] {
  return type === 'variable' ? stack.variables : stack.resources(type);
}

/** Runs `rules` over one stack's JSON (or its model); suppressed findings carry their reason. */
export function evaluate(json: SynthesizedDocument | StackModel, rules: readonly Rule[]): Finding[] {
  const stack = json instanceof StackModel ? json : StackModel.fromDocument(json);
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const type of rule.types) {
      for (const r of subjects(stack, type)) {
        const result = rule.check(r, stack);
        const messages = result === undefined ? [] : typeof result === 'string' ? [result] : result;
        for (const message of messages) {
          const suppression = stack.suppressions.find((s) => s.rule === rule.id && covers(s.path, r.path));
          const gate = rule.severity === 'gate';
          const acceptance = gate ? stack.acceptances.find((a) => a.rule === rule.id && covers(a.path, r.path)) : undefined;
          const closure = gate ? stack.closures.find((c) => c.rule === rule.id && covers(c.path, r.path)) : undefined;
          findings.push({
            rule: rule.id,
            severity: rule.severity,
            address: r.address,
            path: r.path,
            message,
            ...(suppression ? { suppressed: suppression.reason } : {}),
            ...(acceptance ? { accepted: acceptance.reason } : {}),
            ...(closure ? { closeWith: closure.setting } : {}),
          });
        }
      }
    }
  }
  return findings;
}

/** Suppressions in `json` that cover no finding of `findings` (stale ones hide future problems). */
export function unusedSuppressions(json: SynthesizedDocument, findings: readonly Finding[]): SuppressionRecord[] {
  return StackModel.fromDocument(json).suppressions.filter((s) => !findings.some((f) => f.suppressed !== undefined && f.rule === s.rule && covers(s.path, f.path)));
}

/** A gate finding the deploy command would refuse in production: neither suppressed nor accepted. */
export function isOpenGate(f: Finding): boolean {
  return f.severity === 'gate' && f.suppressed === undefined && f.accepted === undefined;
}
