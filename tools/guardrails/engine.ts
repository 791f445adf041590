/**
 * The rule engine of the guardrails: rules over one stack's synthesized Terraform JSON.
 *
 * Why a post-synth check over the JSON and not a cdktf Aspect:
 * - It sees exactly what Terraform will apply: provider defaults merged, escape-hatch overrides
 *   (`addOverride`) applied, every construct's output included, whoever wrote it. An Aspect sees
 *   provider classes whose getters return tokens, and misses overrides.
 * - Most rules are about relations between resources (a bucket and its public access block, its
 *   policy, its encryption configuration; a listener and its load balancer; a security group rule
 *   and the group it opens), which the JSON holds as `${type.name.attr}` references: one index per
 *   stack answers them, as checkov's graph checks do. In the construct tree they are tokens.
 * - It works on any synthesized stack: `cdktf synth`, `Testing.synth` in the tests, and a
 *   `cdk.tf.json` on disk (the rule tests feed it small hand-written documents; no synth needed).
 * - It costs one walk of a document that synth has already built (no second resolve pass).
 * JSON documents inside string fields (`${jsonencode(...)}` policies and container definitions)
 * are decoded with `decodeJsonencode`; references inside them come back as `${...}` strings, which
 * rules treat as "known at plan time" (never as a violation by themselves).
 */
import { isProductionEnvironment } from '../../src/core/environment';
import { decodeJsonencode } from '../../src/core/json';

export type Severity = 'error' | 'warning';

/** One managed resource of a synthesized stack. */
export interface Resource {
  /** Terraform type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Logical name (the key under the type). */
  readonly name: string;
  /** `type.name`, the Terraform address. */
  readonly address: string;
  /** Construct path (`stack/construct/.../this`), from the resource's `//` metadata. */
  readonly path: string;
  /** The resource's arguments as synthesized. */
  readonly body: Record<string, any>;
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
  readonly checkov?: string;
  /** The corresponding cdk-nag rule(s), when there is one. */
  readonly cdkNag?: string;
  /**
   * Why neither checkov nor cdk-nag has a corresponding rule, for a rule with neither (shown in
   * the README's rule table; `__tests__/guardrails/doc.test.ts` asks for it).
   */
  readonly noEquivalent?: string;
  /** Resource types the rule inspects. */
  readonly types: readonly string[];
  /** The problem(s) with `resource`, as messages; nothing when it complies. */
  check(resource: Resource, stack: StackIndex): string | readonly string[] | undefined;
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
}

/** A suppression as written into the synthesized JSON (`//.guardrails.suppressions`). */
export interface SuppressionRecord {
  /** Construct path; covers the construct and everything below it. */
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

const REFERENCE = /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\.[A-Za-z0-9_]+)*\}$/;

/** True when `value` is (or holds) a Terraform expression only known at plan time. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** The address (`type.name`) a `${type.name.attr}` reference points to, if it is one. */
export function referenceTarget(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = REFERENCE.exec(value);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** A block argument that cdktf writes as an object or as a one-element list. */
export function block(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value[0];
  return value && typeof value === 'object' ? (value as Record<string, any>) : undefined;
}

/** A repeatable block argument as a list. */
export function blocks(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value as Record<string, any>];
}

/** True for `true` and `"true"` (cdktf writes some booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** True for `false` and `"false"`. */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** One stack's resources, indexed for the rules. */
export class StackIndex {
  /** Stack name (the `//` metadata's `stackName`). */
  public readonly name: string;
  /** The provider's `Environment` default tag. */
  public readonly environment?: string;
  /** Whether the environment is production (`prod`, `production`, `prd`, `live`). */
  public readonly production: boolean;
  /** The AWS provider's region. */
  public readonly region?: string;
  /** Suppressions written into the document. */
  public readonly suppressions: readonly SuppressionRecord[];
  private readonly byType = new Map<string, Resource[]>();
  private readonly byAddress = new Map<string, Resource>();
  private readonly referrers = new Map<string, Map<string, Resource[]>>();
  private readonly decoded = new Map<string, unknown>();

  constructor(public readonly json: Record<string, any>) {
    const meta = json['//'] ?? {};
    this.name = meta.metadata?.stackName ?? '';
    this.suppressions = meta.guardrails?.suppressions ?? [];
    const provider = block(json.provider?.aws);
    this.region = typeof provider?.region === 'string' ? provider.region : undefined;
    const tags = block(provider?.default_tags)?.tags ?? {};
    this.environment = typeof tags.Environment === 'string' ? tags.Environment : undefined;
    this.production = isProductionEnvironment(this.environment);
    for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
      const list: Resource[] = [];
      for (const [name, body] of Object.entries<Record<string, any>>(byName)) {
        const r: Resource = { type, name, address: `${type}.${name}`, path: body['//']?.metadata?.path ?? `${type}.${name}`, body };
        list.push(r);
        this.byAddress.set(r.address, r);
      }
      this.byType.set(type, list);
    }
    // Input variables, as type `variable` (address `var.<name>`), for the rules about secrets.
    const variables: Resource[] = Object.entries<Record<string, any>>(json.variable ?? {}).map(([name, body]) => ({ type: 'variable', name, address: `var.${name}`, path: `${this.name}/var.${name}`, body }));
    if (variables.length) this.byType.set('variable', variables);
  }

  /** Every resource of `type`. */
  resources(type: string): readonly Resource[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource at `address` (`type.name`), or the one a `${type.name.attr}` reference names. */
  resolve(addressOrReference: unknown): Resource | undefined {
    if (typeof addressOrReference !== 'string') return undefined;
    return this.byAddress.get(referenceTarget(addressOrReference) ?? addressOrReference);
  }

  /**
   * Resources of `type` whose `field` points to `target`: by reference (`${aws_s3_bucket.x.id}`),
   * or by the literal value of one of `target`'s `names` fields (a bucket named by its name).
   */
  attached(type: string, field: string, target: Resource, names: readonly string[] = []): Resource[] {
    const key = `${type}|${field}`;
    let index = this.referrers.get(key);
    if (!index) {
      index = new Map();
      for (const r of this.resources(type)) {
        const v = r.body[field];
        const k = referenceTarget(v) ?? (typeof v === 'string' ? `literal:${v}` : undefined);
        if (k !== undefined) index.set(k, [...(index.get(k) ?? []), r]);
      }
      this.referrers.set(key, index);
    }
    const out = [...(index.get(target.address) ?? [])];
    for (const n of names) {
      const v = target.body[n];
      if (typeof v === 'string' && !isExpression(v)) out.push(...(index.get(`literal:${v}`) ?? []));
    }
    return out;
  }

  /** Whether any resource of `type` has `field` pointing to `target` (see `attached`). */
  hasAttached(type: string, field: string, target: Resource, names: readonly string[] = []): boolean {
    return this.attached(type, field, target, names).length > 0;
  }

  /** A JSON document field (`policy`, `container_definitions`, ...) decoded, once per resource. */
  document<T = any>(r: Resource, field: string): T | undefined {
    const raw = r.body[field];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'string') return raw as T;
    const key = `${r.address}|${field}`;
    if (!this.decoded.has(key)) {
      let value: unknown;
      try {
        value = decodeJsonencode(raw);
      } catch {
        value = undefined; // a document built at plan time (a data source's json): not readable here
      }
      this.decoded.set(key, value);
    }
    return this.decoded.get(key) as T | undefined;
  }
}

/** Runs `rules` over one stack's JSON; suppressed findings carry their reason. */
export function evaluate(json: Record<string, any>, rules: readonly Rule[]): Finding[] {
  const stack = new StackIndex(json);
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const type of rule.types) {
      for (const r of stack.resources(type)) {
        const result = rule.check(r, stack);
        const messages = result === undefined ? [] : typeof result === 'string' ? [result] : result;
        for (const message of messages) {
          const suppression = stack.suppressions.find((s) => s.rule === rule.id && (r.path === s.path || r.path.startsWith(`${s.path}/`)));
          findings.push({ rule: rule.id, severity: rule.severity, address: r.address, path: r.path, message, ...(suppression ? { suppressed: suppression.reason } : {}) });
        }
      }
    }
  }
  return findings;
}

/** Suppressions in `json` that cover no finding of `findings` (stale ones hide future problems). */
export function unusedSuppressions(json: Record<string, any>, findings: readonly Finding[]): SuppressionRecord[] {
  const stack = new StackIndex(json);
  return stack.suppressions.filter((s) => !findings.some((f) => f.suppressed !== undefined && f.rule === s.rule && (f.path === s.path || f.path.startsWith(`${s.path}/`))));
}
