/**
 * Compute, ECS: services on Fargate and Fargate Spot (task size × task count at the floor and the
 * ceiling), and what services place on EC2 capacity providers (priced with their Auto Scaling
 * Group, ./ec2.ts).
 *
 * A service's task count is its autoscaling target's range (averaged over the week when scheduled
 * actions move it), else its desired count; its tasks split over its capacity provider strategy
 * (the service's, the launch type's, its cluster's default, or what its task definition requires)
 * as ECS places them: the bases first, the rest by weight.
 */
import { Body, Resource, StackModel, blocks, bool, num } from '../../model';
import { Pricer, PricingContext, fmtNum, nameOf } from '../context';
import { WeeklyCapacity, weeklyCapacity } from '../schedule';
import { IPV4_NOTE } from './network';

type CapacityKind = 'FARGATE' | 'FARGATE_SPOT' | 'EC2';

/** A service's task count at the floor and the ceiling. */
export interface TaskCounts {
  readonly floor: number;
  readonly ceiling: number;
  /** Whether scheduled actions move its range. */
  readonly scheduled: boolean;
  /** Their average over the week, when they are weekly. */
  readonly weekly?: WeeklyCapacity;
}

/** What one task reserves: task-level cpu/memory, else the sum of its containers'; GPUs from the containers. */
export interface TaskSize {
  readonly cpu?: number;
  readonly memoryMiB?: number;
  readonly gpus: number;
}

/** Tasks of a service placed on one capacity provider. */
export interface PlacedTasks {
  readonly floor: number;
  readonly ceiling: number;
  readonly size: TaskSize;
}

/** Task counts of a service: its autoscaling target's min/max, else its desired count. */
export function taskCounts(model: StackModel, svc: Resource): TaskCounts {
  const desired = num(svc.body.desired_count) ?? 0;
  const target = model.referrers('aws_appautoscaling_target', 'resource_id', svc)[0];
  if (!target) return { floor: desired, ceiling: desired, scheduled: false };
  // Actions name the target's resource id literally, or by reference to the target.
  const actions = model.resources('aws_appautoscaling_scheduled_action').filter((s) => s.body.resource_id === target.body.resource_id || model.refsIn(s.body.resource_id).includes(target));
  const min = num(target.body.min_capacity) ?? desired;
  const max = num(target.body.max_capacity) ?? desired;
  // Scheduled actions move the range during the week: the estimate takes its average over the week.
  const weekly = actions.length ? weeklyCapacity(actions.map((a) => a.body)) : undefined;
  return { floor: weekly?.min ?? min, ceiling: weekly?.max ?? max, scheduled: actions.length > 0, weekly };
}

/** The task size of a task definition (see `TaskSize`). */
export function taskSize(model: StackModel, td: Resource | undefined): TaskSize {
  const decoded = td ? model.document(td, 'container_definitions') : undefined;
  const containers: Body[] = Array.isArray(decoded) ? decoded : [];
  const sum = (f: (c: Body) => number | undefined) => (containers.length ? containers.reduce((n, c) => n + (f(c) ?? 0), 0) : undefined);
  const gpus = sum((c) => blocks(c.resourceRequirements).filter((x) => x.type === 'GPU').reduce((n, x) => n + (num(x.value) ?? 0), 0)) ?? 0;
  return { cpu: num(td?.body.cpu) ?? sum((c) => num(c.cpu)), memoryMiB: num(td?.body.memory) ?? sum((c) => num(c.memory) ?? num(c.memoryReservation)), gpus };
}

/** FARGATE, FARGATE_SPOT, or EC2 for any other capacity provider. */
function kindOf(provider: unknown): CapacityKind {
  return provider === 'FARGATE' || provider === 'FARGATE_SPOT' ? provider : 'EC2';
}

/** The capacity provider strategy a service runs with (see the module comment). */
function strategyOf(model: StackModel, svc: Resource, taskDef: Resource | undefined): Body[] {
  const own = blocks(svc.body.capacity_provider_strategy);
  if (own.length > 0) return own;
  if (svc.body.launch_type) return [{ capacity_provider: svc.body.launch_type === 'FARGATE' ? 'FARGATE' : 'EC2', weight: 1, base: 0 }];
  const cluster = model.ref(svc.body.cluster, 'aws_ecs_cluster');
  const defaults = cluster ? model.referrers('aws_ecs_cluster_capacity_providers', 'cluster_name', cluster).map((cp) => blocks(cp.body.default_capacity_provider_strategy)) : [];
  if (defaults.length > 0 && defaults[defaults.length - 1].length > 0) return defaults[defaults.length - 1];
  const compat = blocks<string>(taskDef?.body.requires_compatibilities);
  return [{ capacity_provider: compat.includes('FARGATE') && !compat.includes('EC2') ? 'FARGATE' : 'EC2', weight: 1, base: 0 }];
}

/** Tasks per strategy entry: bases first, the rest by weight (the expected split). */
function sharesOf(strategy: readonly Body[], n: number): number[] {
  const shares = strategy.map(() => 0);
  let left = n;
  strategy.forEach((s, i) => {
    const b = Math.min(left, num(s.base) ?? 0);
    shares[i] += b;
    left -= b;
  });
  const weights = strategy.map((s) => num(s.weight) ?? 0);
  const total = weights.reduce((a, b) => a + b, 0);
  strategy.forEach((_, i) => (shares[i] += total > 0 ? (left * weights[i]) / total : i === 0 ? left : 0));
  return shares;
}

function byKind(strategy: readonly Body[], shares: readonly number[]): Record<CapacityKind, number> {
  const out = { FARGATE: 0, FARGATE_SPOT: 0, EC2: 0 };
  strategy.forEach((s, i) => (out[kindOf(s.capacity_provider)] += shares[i]));
  return out;
}

/** A service's tasks, split over its strategy, at the floor and the ceiling. */
interface Placement {
  readonly strategy: readonly Body[];
  readonly counts: TaskCounts;
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

function placementOf(model: StackModel, svc: Resource, taskDef: Resource | undefined): Placement {
  const counts = taskCounts(model, svc);
  const strategy = strategyOf(model, svc, taskDef);
  return { strategy, counts, lo: sharesOf(strategy, counts.floor), hi: sharesOf(strategy, counts.ceiling) };
}

/** Tasks the stack's services place on the EC2 capacity provider `provider` (its Auto Scaling Group needs instances for them). */
export function placedTasks(model: StackModel, provider: Resource): PlacedTasks[] {
  const out: PlacedTasks[] = [];
  for (const svc of model.resources('aws_ecs_service')) {
    const taskDef = model.ref(svc.body.task_definition, 'aws_ecs_task_definition');
    const p = placementOf(model, svc, taskDef);
    p.strategy.forEach((s, i) => {
      if (model.ref(s.capacity_provider, 'aws_ecs_capacity_provider') === provider) out.push({ floor: p.lo[i], ceiling: p.hi[i], size: taskSize(model, taskDef) });
    });
  }
  return out;
}

/** The note of a service's lines: no tasks, scheduled actions, a mixed strategy. */
function countNote(p: Placement): string | undefined {
  const { counts, strategy } = p;
  const w = counts.weekly;
  const round = (n: number) => fmtNum(Math.round(n * 1000) / 1000);
  const parts = [
    counts.floor === 0 && counts.ceiling === 0 ? 'no tasks: desired count and autoscaling range are 0' : undefined,
    w
      ? `scheduled actions: ${round(w.min)}..${round(w.max)} tasks on average over the week${w.stopped > 0 ? `, stopped ${fmtNum(Math.round(w.stopped * 1000) / 10)} % of it` : ''}`
      : counts.scheduled
        ? 'scheduled actions not on a weekly cron: the target\'s own range is priced'
        : undefined,
    strategy.length > 1 ? `strategy ${strategy.map((s) => `${String(s.capacity_provider).startsWith('${') ? 'EC2 provider' : s.capacity_provider} base ${num(s.base) ?? 0} weight ${num(s.weight) ?? 0}`).join(', ')}` : undefined,
  ];
  return parts.filter(Boolean).join('; ') || undefined;
}

/** The Fargate and Fargate Spot lines of a service (task size from its task definition), its extra ephemeral storage and public IPs. */
function fargateLines(ctx: PricingContext, r: Resource, taskDef: Resource, kinds: ReadonlySet<CapacityKind>, lo: Record<CapacityKind, number>, hi: Record<CapacityKind, number>, note: string | undefined): void {
  const pr = ctx.pricesFor(r);
  const name = nameOf(r);
  const vcpu = num(taskDef.body.cpu)! / 1024;
  const gb = num(taskDef.body.memory)! / 1024;
  const arm = taskDef.body.runtime_platform?.cpu_architecture === 'ARM64';
  const size = `${fmtNum(vcpu)} vCPU, ${fmtNum(gb)} GB${arm ? ', arm64' : ''}`;
  const resources = [r.address, taskDef.address];
  if (kinds.has('FARGATE')) {
    const price = (vcpu * (arm ? pr.fargate.armVcpuHour : pr.fargate.vcpuHour).usd + gb * (arm ? pr.fargate.armGbHour : pr.fargate.gbHour).usd) * ctx.hours;
    ctx.line({ item: `ECS ${name}: Fargate`, quantity: { floor: lo.FARGATE, ceiling: hi.FARGATE }, unit: `task-month (${size})`, unitPrice: price, resources, note, assumptions: ['hoursPerMonth'] });
  }
  if (kinds.has('FARGATE_SPOT')) {
    const price = (vcpu * pr.fargate.spotVcpuHour.usd + gb * pr.fargate.spotGbHour.usd) * ctx.hours;
    ctx.line({ item: `ECS ${name}: Fargate Spot`, quantity: { floor: lo.FARGATE_SPOT, ceiling: hi.FARGATE_SPOT }, unit: `task-month (${size})`, unitPrice: price, resources, note, assumptions: ['hoursPerMonth'] });
  }
  const tasks = { floor: lo.FARGATE + lo.FARGATE_SPOT, ceiling: hi.FARGATE + hi.FARGATE_SPOT };
  const ephemeral = num(taskDef.body.ephemeral_storage?.size_in_gib ?? blocks(taskDef.body.ephemeral_storage)[0]?.size_in_gib);
  if (ephemeral !== undefined && ephemeral > 20) {
    ctx.line({ item: `ECS ${name}: ephemeral storage above 20 GB`, quantity: tasks, unit: `task-month (${ephemeral - 20} GB)`, unitPrice: (ephemeral - 20) * pr.fargate.ephemeralGbHour.usd * ctx.hours, resources: [r.address] });
  }
  if (bool(blocks(r.body.network_configuration)[0]?.assign_public_ip) === true) {
    ctx.aggregate('Public IPv4 addresses', 'address-month', ctx.month(pr.publicIpv4Hour), tasks.floor, tasks.ceiling, r.address, { note: IPV4_NOTE });
  }
}

/** ECS services: Fargate and Fargate Spot tasks, and a zero-priced line for tasks on EC2 capacity. */
export const ecsServices: Pricer = {
  types: ['aws_ecs_service'],
  price(r, ctx) {
    const taskDef = ctx.model.ref(r.body.task_definition, 'aws_ecs_task_definition');
    const p = placementOf(ctx.model, r, taskDef);
    const lo = byKind(p.strategy, p.lo);
    const hi = byKind(p.strategy, p.hi);
    const kinds = new Set(p.strategy.map((s) => kindOf(s.capacity_provider)));
    const note = countNote(p);
    if (kinds.has('FARGATE') || kinds.has('FARGATE_SPOT')) {
      if (!taskDef || num(taskDef.body.cpu) === undefined || num(taskDef.body.memory) === undefined) {
        ctx.skip(r, 'Fargate service whose task definition has no literal cpu and memory');
        return;
      }
      fargateLines(ctx, r, taskDef, kinds, lo, hi, note);
    }
    if (kinds.has('EC2')) {
      ctx.line({ item: `ECS ${nameOf(r)}: tasks on EC2 capacity`, quantity: { floor: lo.EC2, ceiling: hi.EC2 }, unit: 'task (instances priced with their Auto Scaling Group)', unitPrice: 0, resources: [r.address], note });
    }
  },
};
