/**
 * The picture under construction: nodes (grouped, with the resources each stands for), edges, and
 * the look-ups the parts of ./graph.ts share: the node of a resource, of a reference, of a relation
 * end, and names without the stack's naming prefix.
 */
import type { Endpoint, Relation, RelationKind, Resource, StackModel } from '../model';
import { literalString } from '../model';

export type Group = 'edge' | 'compute' | 'data' | 'network' | 'observability';

/** A node of the picture. */
export interface GraphNode {
  readonly id: string;
  readonly group: Group | 'clients';
  /** Sub-cluster (an ECS cluster) inside the group. */
  readonly sub?: string;
  /** Small grey first line: what the thing is. */
  readonly kind: string;
  /** Bold line: its name. */
  readonly title: string;
  readonly lines: readonly string[];
  readonly shape?: string;
}

export type EdgeStyle = 'traffic' | 'access' | 'redrive' | 'trigger' | 'notify' | 'mesh';

/** An edge of the picture; its labels are merged when it is added twice. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly style: EdgeStyle;
  readonly labels: Set<string>;
}

/** Code-point order of strings. */
export const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** `1 zone`, `2 zones`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
/** A string or number known before plan, as text. */
export const literal = (v: unknown): string | undefined => literalString(v) ?? (typeof v === 'number' ? String(v) : undefined);

const depth = (path: string): number => path.split('/').length;

/** See the module comment. */
export class DiagramBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  /** Resource address -> the node that stands for it. */
  readonly alias = new Map<string, string>();
  /** Security group address -> the compute node it protects (for service -> service edges). */
  readonly securityGroupOwner = new Map<string, string>();
  /** ECS cluster address -> the label of its sub-cluster. */
  readonly subClusters = new Map<string, string>();
  /** ECS clusters (addresses) whose services reach each other through Service Connect. */
  readonly serviceConnect = new Set<string>();
  /** Prefixes `short` took off some name (the picture says so under its title). */
  readonly shortened = new Set<string>();
  private readonly prefixes: string[];
  private readonly relationsFrom = new Map<string, Relation[]>();

  constructor(readonly model: StackModel) {
    // Names repeat the project and environment (`<prefix>-<part>`): the picture shows the part.
    const names = [...model.resources('aws_vpc').map((v) => v.body.tags?.Name), ...model.resources('aws_ecs_cluster').map((c) => c.body.name)];
    this.prefixes = [...new Set(names.filter((n): n is string => literalString(n) !== undefined))].sort((a, b) => b.length - a.length || byKey(a, b));
    for (const r of model.relations) this.relationsFrom.set(r.from.path, [...(this.relationsFrom.get(r.from.path) ?? []), r]);
  }

  /** `name` without the stack's naming prefix. */
  short(name: string): string {
    for (const p of this.prefixes) {
      for (const sep of ['-', '/']) {
        if (name.startsWith(p + sep) && name.length > p.length + 1) {
          this.shortened.add(p);
          return name.slice(p.length + 1);
        }
      }
    }
    return name;
  }

  /** A resource's name: its `name` (or `bucket`, `family`, ...) when literal, else its Name tag, else its logical id. */
  nameOf(r: Resource, ...fields: string[]): string {
    // `*_prefix` fields are only the start of the real name: the Name tag says more.
    const order = [...fields.filter((f) => !f.endsWith('_prefix')), 'name', 'tags.Name', ...fields.filter((f) => f.endsWith('_prefix'))];
    for (const f of order) {
      const s = literal(f === 'tags.Name' ? r.body.tags?.Name : r.body[f]);
      if (s) return s;
    }
    return r.name;
  }

  /** Adds a node (its id made unique) standing for `addresses`; returns its id. */
  addNode(node: GraphNode, ...addresses: string[]): string {
    let id = node.id;
    for (let i = 2; this.nodes.has(id); i++) id = `${node.id}#${i}`;
    this.nodes.set(id, { ...node, id });
    for (const a of addresses) if (!this.alias.has(a)) this.alias.set(a, id);
    return id;
  }

  /** Adds an edge (or a label to the edge already there). */
  addEdge(from: string | undefined, to: string | undefined, style: EdgeStyle, label?: string): void {
    if (!from || !to || from === to) return;
    const key = `${from}\u0000${to}`;
    const edge = this.edges.get(key) ?? { from, to, style, labels: new Set<string>() };
    if (label) edge.labels.add(label);
    this.edges.set(key, edge);
  }

  /** The node standing for the first resource referenced in `value` (a field of the document). */
  nodeOf(value: unknown): string | undefined {
    for (const r of this.model.refsIn(value)) {
      const id = this.alias.get(r.address);
      if (id) return id;
    }
    return undefined;
  }

  /** The node standing for a relation end: the one of its shallowest resource that has one. */
  nodeAt(end: Endpoint): string | undefined {
    return this.firstNode(end.resources);
  }

  /**
   * The node acting for a relation end (a grantee): its own node, else that of the nearest
   * construct above it with one (a role acts for the function or task it belongs to), short of
   * the stack itself.
   */
  actorAt(end: Endpoint): string | undefined {
    for (let path = end.path, resources = end.resources; depth(path) > 1; path = path.slice(0, path.lastIndexOf('/')), resources = this.model.resourcesAt(path)) {
      const id = this.firstNode(resources);
      if (id) return id;
    }
    return undefined;
  }

  private firstNode(resources: readonly Resource[]): string | undefined {
    const found = [...resources].sort((a, b) => depth(a.path) - depth(b.path) || byKey(a.address, b.address)).find((r) => this.alias.has(r.address));
    return found && this.alias.get(found.address);
  }

  /** The relations of `kind` recorded from the resource `from`. */
  relations(kind: RelationKind, from: Resource): Relation[] {
    return (this.relationsFrom.get(from.path) ?? []).filter((r) => r.kind === kind);
  }
}
