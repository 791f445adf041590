import { ITerraformDependable, TerraformResource, dependable } from 'cdktf';

const added = new WeakMap<TerraformResource, Set<ITerraformDependable>>();

/**
 * Makes `resource` wait for `on` (Terraform `depends_on`), once each. Used where a resource needs
 * another that it does not reference: an ECS service and its role policies, listener rules, NAT
 * routes and EFS mount targets. (Written the way cdktf writes `dependsOn` props, a bare address,
 * which HCL output requires.)
 */
export function dependOn(resource: TerraformResource, ...on: readonly ITerraformDependable[]): void {
  const seen = added.get(resource) ?? new Set<ITerraformDependable>();
  added.set(resource, seen);
  const fresh = on.filter((d) => !seen.has(d));
  fresh.forEach((d) => seen.add(d));
  if (fresh.length > 0) resource.dependsOn = [...(resource.dependsOn ?? []), ...fresh.map((d) => dependable(d))];
}

/**
 * A set of resources that others must wait for, where members can still be added after a
 * dependent registered (a role's policies, granted later): every dependent waits for every member.
 */
export class DependencyGroup {
  private readonly members: ITerraformDependable[] = [];
  private readonly dependents: TerraformResource[] = [];

  /** Adds a member; every dependent registered so far waits for it too. */
  public add(...members: readonly ITerraformDependable[]): void {
    this.members.push(...members);
    for (const d of this.dependents) dependOn(d, ...members);
  }

  /** Makes `resource` wait for every member, present and future. */
  public addDependent(resource: TerraformResource): void {
    this.dependents.push(resource);
    dependOn(resource, ...this.members);
  }

  /** The members so far. */
  public get all(): readonly ITerraformDependable[] {
    return this.members;
  }
}
