/**
 * The relations the constructs recorded (`src/core/relations.ts`), read from the construct tree and
 * resolved against the stack's resources: each end becomes the construct path it names and the
 * resources at or below it. A reference end (an ARN token a constructor was given) is resolved by
 * the stack to `${type.name.attribute}`, and stands for the resource it names.
 */
import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from 'cdktf';
import { Access, RelationEnd, RelationEntry, RelationKind, relationsIn } from '../../src/core/relations';
import { referencesIn } from './references';
import type { Resource } from './types';

export type { Access, RelationKind } from '../../src/core/relations';

/** One end of a relation. */
export interface Endpoint {
  /** The construct path (of the construct, or of the resource a reference names). */
  readonly path: string;
  /** The resources at or below `path` (one, for a resource). */
  readonly resources: readonly Resource[];
}

/** A recorded relation between parts of the stack (see `RelationKind`). */
export interface Relation {
  readonly kind: RelationKind;
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** For a grant: what the grantee (`from`) may do to the resource (`to`); empty otherwise. */
  readonly access: readonly Access[];
}

/** What resolving an end needs of the model. */
export interface ResourceLookup {
  resource(address: string): Resource | undefined;
  resourcesAt(path: string): Resource[];
}

function pathOf(end: RelationEnd, stack: TerraformStack, lookup: ResourceLookup): string | undefined {
  if ('path' in end) return end.path;
  const resolved = Tokenization.resolve(end.reference, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
  const target = typeof resolved === 'string' ? referencesIn(resolved).find((r) => lookup.resource(r.to)) : undefined;
  return target ? lookup.resource(target.to)!.path : undefined;
}

function endpoint(end: RelationEnd, stack: TerraformStack, lookup: ResourceLookup): Endpoint | undefined {
  const path = pathOf(end, stack, lookup);
  return path === undefined ? undefined : { path, resources: lookup.resourcesAt(path) };
}

function resolveEntry(e: RelationEntry, stack: TerraformStack, lookup: ResourceLookup): Relation | undefined {
  const from = endpoint(e.from, stack, lookup);
  const to = endpoint(e.to, stack, lookup);
  return from && to ? { kind: e.kind, from, to, access: e.access ?? [] } : undefined;
}

/**
 * The relations recorded in `stack`'s construct tree, ends resolved; a relation recorded twice
 * (the same grant made twice) once, and one whose end names nothing of the stack left out.
 */
export function readRelations(stack: TerraformStack, lookup: ResourceLookup): Relation[] {
  const seen = new Set<string>();
  const out: Relation[] = [];
  for (const entry of relationsIn(stack)) {
    const r = resolveEntry(entry, stack, lookup);
    if (!r) continue;
    const key = JSON.stringify([r.kind, r.from.path, r.to.path, r.access]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}
