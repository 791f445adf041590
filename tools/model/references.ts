/**
 * References in a synthesized document: `${aws_s3_bucket.x.arn}` in any string argument, bare
 * inside the HCL expressions cdktf writes (`${jsonencode({Resource = aws_s3_bucket.x.arn})}`,
 * `service/${aws_ecs_cluster.c.name}/${aws_ecs_service.s.name}`), to managed resources and to data
 * sources (`data.aws_caller_identity.current.account_id`).
 */
import { Body } from './values';

/** A reference from one resource's argument to another resource (or data source). */
export interface Reference {
  /** Address of the resource holding the reference. */
  readonly from: string;
  /** Where in `from`'s arguments: the dotted path of the string holding it (`load_balancer.0.target_group_arn`). */
  readonly field: string;
  /** Address referenced: `type.name`, or `data.type.name` for a data source. */
  readonly to: string;
  /** The attribute read (`arn`, `id`, ...), when the reference names one. */
  readonly attribute?: string;
}

/** `type.name(.attribute)` with an optional `data.` in front, not inside a longer name. */
const REFERENCE = /(?<![A-Za-z0-9_.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z_][A-Za-z0-9_]*))?/g;

/** A whole value that is exactly one reference, `${type.name.attr...}`. */
const WHOLE_REFERENCE = /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\.[A-Za-z0-9_]+)*\}$/;

/** The references a string holds (none unless it holds an expression), in order of appearance. */
export function referencesIn(text: string): { to: string; attribute?: string }[] {
  if (!text.includes('${')) return [];
  return [...text.matchAll(REFERENCE)].map((m) => ({ to: `${m[1] ?? ''}${m[2]}.${m[3]}`, ...(m[4] ? { attribute: m[4] } : {}) }));
}

/** The address (`type.name`) a value that is exactly one `${type.name.attr}` reference points to. */
export function referenceTarget(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = WHOLE_REFERENCE.exec(value);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** Calls `visit` with every string in `value` and its dotted path; object keys in sorted order, `//` skipped. */
export function walkStrings(value: unknown, visit: (text: string, path: string) => void, path = ''): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, visit, path ? `${path}.${i}` : String(i)));
  else if (value && typeof value === 'object') {
    for (const k of Object.keys(value).sort()) if (k !== '//') walkStrings((value as Body)[k], visit, path ? `${path}.${k}` : k);
  }
}

/** The references of `from`'s arguments to the addresses `known` accepts. */
export function referencesOf(from: string, body: Body, known: (address: string) => boolean): Reference[] {
  const out: Reference[] = [];
  walkStrings(body, (text, field) => {
    for (const r of referencesIn(text)) if (known(r.to)) out.push({ from, field, ...r });
  });
  return out;
}
