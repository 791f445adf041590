/**
 * Relations between constructs, recorded as construct metadata by the constructs that create them:
 * who may do what to a resource (its grant methods: read, write, send, consume, publish, mount,
 * ...), what routes where (a listener or listener rule to a target group, a target group to a
 * service, an API route to its integration, an integration to the function or service that
 * answers), and what notifies what (a bucket's event notifications to a queue).
 *
 * The synthesized Terraform holds only references (`${aws_s3_bucket.x.arn}` inside a policy
 * document, a target group ARN in a service's `load_balancer` block): reading relations back from
 * them is guessing (which IAM actions mean "reads", which role acts for which service). The
 * construct that makes the relation knows it and records it here, in one line.
 *
 * The metadata stays in the construct tree: nothing of it is written into the synthesized
 * document. The toolchain reads it (`relationsIn`) when it builds a stack in memory (`tools/model`).
 * Like ./suppressions.ts, this module depends on `constructs` only.
 */
import { Construct, IConstruct } from 'constructs';

/** Metadata type of a relation entry. */
const RELATION_METADATA = 'relations:relation';
/** Metadata type of the entry that withdraws the routes recorded so far from a construct. */
const ROUTES_WITHDRAWN_METADATA = 'relations:routes-withdrawn';

/** What a grant lets the grantee do, in the words of the grant method. */
export type Access = 'read' | 'list' | 'write' | 'delete' | 'send' | 'consume' | 'publish' | 'submit' | 'invoke' | 'mount' | 'encrypt' | 'decrypt' | 'pull' | 'push';

/**
 * - `grant`: `from` (the grantee) may do `access` to `to` (the resource);
 * - `route`: requests reaching `from` go on to `to`;
 * - `notify`: `from` sends its event notifications to `to`.
 */
export type RelationKind = 'grant' | 'route' | 'notify';

/**
 * One end of a relation: a construct (by its path; a resource's path is its own), or, when the
 * constructor was given only an attribute of the construct (an ARN), that attribute as the
 * unresolved reference token (the stack resolves it to `${type.name.attribute}`).
 */
export type RelationEnd = { readonly path: string } | { readonly reference: string };

/** A relation as recorded on a construct. */
export interface RelationEntry {
  readonly kind: RelationKind;
  readonly from: RelationEnd;
  readonly to: RelationEnd;
  /** For a grant: what the grantee may do. */
  readonly access?: readonly Access[];
}

/** A construct, or a reference token to one of its attributes; anything else is not recorded. */
export type RelationTarget = object | string;

function end(target: RelationTarget): RelationEnd | undefined {
  if (typeof target === 'string') return { reference: target };
  return Construct.isConstruct(target) ? { path: target.node.path } : undefined;
}

function record(holder: IConstruct, kind: RelationKind, from: RelationTarget, to: RelationTarget, access?: readonly Access[]): void {
  const a = end(from);
  const b = end(to);
  if (!a || !b) return; // a grantee that is no construct (a plain IGrantable): nothing to point at
  const entry: RelationEntry = access ? { kind, from: a, to: b, access: [...access] } : { kind, from: a, to: b };
  holder.node.addMetadata(RELATION_METADATA, entry);
}

/** The recorder the constructs call where they create a relation. */
export class Relations {
  /** `grantee` may do `access` to `resource` (called by the resource's grant methods). */
  public static grant(resource: IConstruct, grantee: RelationTarget, ...access: Access[]): void {
    record(resource, 'grant', grantee, resource, access);
  }

  /** `grantee` may do `access` to the resource whose attribute (an ARN) is `resource`. */
  public static grantOn(holder: IConstruct, resource: string, grantee: RelationTarget, ...access: Access[]): void {
    record(holder, 'grant', grantee, resource, access);
  }

  /** Requests reaching `from` go on to `to`. */
  public static route(from: IConstruct, to: RelationTarget): void {
    record(from, 'route', from, to);
  }

  /** Requests reaching `from` no longer go where it was recorded to route them (its routing was replaced). */
  public static withdrawRoutes(from: IConstruct): void {
    from.node.addMetadata(ROUTES_WITHDRAWN_METADATA, true);
  }

  /** `from` sends its event notifications to `to`. */
  public static notify(from: IConstruct, to: RelationTarget): void {
    record(from, 'notify', from, to);
  }
}

/** The relations recorded on one construct, routes withdrawn after them left out. */
function recordedOn(c: IConstruct): RelationEntry[] {
  let out: RelationEntry[] = [];
  for (const m of c.node.metadata) {
    if (m.type === RELATION_METADATA) out.push(m.data as RelationEntry);
    else if (m.type === ROUTES_WITHDRAWN_METADATA) out = out.filter((e) => e.kind !== 'route');
  }
  return out;
}

/** Every relation recorded on `scope` and below it, in construct order. */
export function relationsIn(scope: IConstruct): RelationEntry[] {
  return scope.node.findAll().flatMap(recordedOn);
}
