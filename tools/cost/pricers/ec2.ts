/**
 * Compute, EC2 and GPU: Auto Scaling Groups (on-demand and spot instances from min to max size, at
 * least what the ECS tasks placed on them need at the floor), single instances, EBS volumes, and
 * Batch compute environments (vCPUs from min to max at the cheapest listed type per vCPU, or
 * Fargate), with the EBS volumes of their launch templates.
 */
import { GPU_INSTANCE_TYPES } from '../../../src/compute/instance-types';
import { Body, Resource, blocks, num } from '../../model';
import { Pricer, PricingContext, fmtNum, nameOf } from '../context';
import { GENERAL_INSTANCE_VCPUS, Price, RegionPrices } from '../prices';
import { PlacedTasks, TaskSize, placedTasks } from './ecs';

type EbsType = 'gp3' | 'gp2';

function vcpusOf(instanceType: string): number | undefined {
  return GPU_INSTANCE_TYPES[instanceType]?.vcpus ?? GENERAL_INSTANCE_VCPUS[instanceType];
}

/** The assumed Spot discount of an instance type's family. */
function discountOf(ctx: PricingContext, instanceType: string): number {
  const d = ctx.assumptions.spotDiscount;
  return d[instanceType.split('.')[0]] ?? d['*'] ?? 0;
}

/** EBS of one instance from a launch template's block device mappings. */
function volumesOf(lt: Resource | undefined): { gb: Record<EbsType, number>; note?: string } {
  const gb = { gp3: 0, gp2: 0 };
  const mappings = blocks(lt?.body.block_device_mappings).map((m) => blocks(m.ebs)[0]).filter(Boolean);
  if (mappings.length === 0) return { gb, note: 'root volume from the AMI (size unknown, not priced)' };
  const notes: string[] = [];
  for (const ebs of mappings) {
    const size = num(ebs.volume_size);
    const type = ebs.volume_type ?? 'gp2';
    if (size === undefined) notes.push('a volume of the AMI size (not priced)');
    else if (type === 'gp3' || type === 'gp2') gb[type as EbsType] += size;
    else notes.push(`a ${type} volume (not priced)`);
  }
  return { gb, note: notes.length ? notes.join('; ') : undefined };
}

/** The EBS lines of `lo`..`hi` instances launched from `lt`. */
function ebsLines(ctx: PricingContext, owner: string, addresses: string[], lt: Resource | undefined, lo: number, hi: number, pr: RegionPrices): void {
  const { gb, note } = volumesOf(lt);
  for (const t of ['gp3', 'gp2'] as const) {
    if (gb[t] > 0) ctx.line({ item: `${owner}: EBS ${t}`, quantity: { floor: lo * gb[t], ceiling: hi * gb[t] }, unit: `GB-month (${gb[t]} GB per instance)`, unitPrice: pr.ebs[t].usd, resources: addresses, note });
  }
}

/** How many tasks of `size` one instance of `instanceType` holds (at least 1). */
function tasksPerInstance(instanceType: string, t: TaskSize): number {
  const size = GPU_INSTANCE_TYPES[instanceType] ?? (vcpusOf(instanceType) ? { vcpus: vcpusOf(instanceType)!, memoryGiB: Infinity, gpus: 0 } : undefined);
  if (!size) return 1;
  const fits = [t.cpu ? Math.floor((size.vcpus * 1024) / t.cpu) : Infinity, t.memoryMiB ? Math.floor((size.memoryGiB * 1024 * 0.95) / t.memoryMiB) : Infinity, t.gpus > 0 ? Math.floor(size.gpus / t.gpus) : Infinity];
  const n = Math.min(...fits);
  return Number.isFinite(n) ? Math.max(1, n) : 1;
}

/**
 * Instances the tasks placed on the group need at the floor: whole instances for whole tasks; a
 * week's average of scheduled task counts needs the average of instances (managed scaling follows
 * the tasks), not its ceiling.
 */
function neededAtFloor(instanceType: string, placed: readonly PlacedTasks[]): number {
  const raw = placed.reduce((n, t) => n + t.floor / tasksPerInstance(instanceType, t.size), 0);
  return placed.every((t) => Number.isInteger(t.floor)) ? Math.ceil(raw - 1e-9) : Math.round(raw * 1000) / 1000;
}

/** The launch template and instance type of a group (the first override of a mixed instances policy wins). */
function launchOf(ctx: PricingContext, r: Resource): { lt?: Resource; overrides: string[]; instanceType: unknown; mixed?: Body } {
  const mixed = blocks(r.body.mixed_instances_policy)[0];
  const mixedLt = mixed ? blocks(mixed.launch_template)[0] : undefined;
  const lt = ctx.model.ref(mixedLt?.launch_template_specification ?? r.body.launch_template, 'aws_launch_template');
  const overrides = blocks(mixedLt?.override).map((o) => o.instance_type).filter((t): t is string => typeof t === 'string');
  return { lt, overrides, instanceType: overrides[0] ?? lt?.body.instance_type, mixed };
}

/** Auto Scaling Groups: instances on demand and on Spot, and their EBS volumes. */
export const autoScalingGroups: Pricer = {
  types: ['aws_autoscaling_group'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const { lt, overrides, instanceType, mixed } = launchOf(ctx, r);
    if (typeof instanceType !== 'string' || instanceType.includes('${')) {
      ctx.skip(r, 'no literal instance type in the launch template or the mixed instances override');
      return;
    }
    const hourly = pr.ec2Hour[instanceType];
    if (!hourly) {
      ctx.skip(r, `no on-demand price for ${instanceType} in ${ctx.region}`);
      return;
    }
    const min = num(r.body.min_size) ?? 0;
    const max = num(r.body.max_size) ?? min;
    // An ECS capacity provider with managed scaling launches instances for the tasks placed on it:
    // at the floor, the group runs at least what the services' minimum tasks need.
    const providers = ctx.model.referrers('aws_ecs_capacity_provider', 'auto_scaling_group_provider', r);
    const placed = providers.flatMap((c) => placedTasks(ctx.model, c));
    const needed = neededAtFloor(instanceType, placed);
    const floor = Math.min(max, Math.max(min, num(r.body.desired_capacity) ?? 0, needed));
    const placedNote = placed.length ? `; at the floor ${fmtNum(placed.reduce((n, t) => n + t.floor, 0))} task(s) of its capacity provider need ${needed} instance(s)` : '';
    const dist = mixed ? blocks(mixed.instances_distribution)[0] ?? {} : undefined;
    const base = dist ? num(dist.on_demand_base_capacity) ?? 0 : 0;
    const pct = dist ? num(dist.on_demand_percentage_above_base_capacity) ?? 100 : 100;
    const onDemand = (n: number) => Math.min(n, base) + (Math.max(0, n - base) * pct) / 100;
    const name = nameOf(r);
    const addresses = [r.address, ...(lt ? [lt.address] : [])];
    const others = overrides.length > 1 ? `; the group may also launch ${overrides.slice(1).join(', ')}` : '';
    const managed = providers.length ? `; an ECS capacity provider scales it to the tasks placed on it${placedNote}` : '';
    ctx.line({ item: `ASG ${name}: ${instanceType} on-demand`, quantity: { floor: onDemand(floor), ceiling: onDemand(max) }, unit: 'instance-month', unitPrice: ctx.month(hourly), resources: addresses, note: `min ${min}, max ${max}${dist ? `, on-demand base ${base} + ${pct}% above` : ''}${others}${managed}`, assumptions: ['hoursPerMonth'] });
    if (pct < 100) {
      const d = discountOf(ctx, instanceType);
      ctx.line({ item: `ASG ${name}: ${instanceType} spot`, quantity: { floor: floor - onDemand(floor), ceiling: max - onDemand(max) }, unit: 'instance-month', unitPrice: ctx.month(hourly) * (1 - d), resources: addresses, note: `${Math.round(d * 100)}% below on-demand (assumed)${others}`, assumptions: ['spotDiscount'] });
    }
    ebsLines(ctx, `ASG ${name}`, addresses, lt, floor, max, pr);
  },
};

/** Single EC2 instances and their root volumes. */
export const instances: Pricer = {
  types: ['aws_instance'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const type = r.body.instance_type;
    const hourly = typeof type === 'string' ? pr.ec2Hour[type] : undefined;
    if (!hourly) {
      ctx.skip(r, `no on-demand price for ${String(type)} in ${ctx.region}`);
      return;
    }
    const name = nameOf(r);
    ctx.line({ item: `EC2 ${name}: ${type}`, quantity: { floor: 1, ceiling: 1 }, unit: 'instance-month', unitPrice: ctx.month(hourly), resources: [r.address], assumptions: ['hoursPerMonth'] });
    const root = blocks(r.body.root_block_device)[0];
    const size = num(root?.volume_size);
    const vt = root?.volume_type ?? 'gp2';
    if (size !== undefined && (vt === 'gp3' || vt === 'gp2')) ctx.line({ item: `EC2 ${name}: EBS ${vt} root`, quantity: { floor: size, ceiling: size }, unit: 'GB-month', unitPrice: pr.ebs[vt as EbsType].usd, resources: [r.address] });
  },
};

/** EBS volumes of their own. */
export const ebsVolumes: Pricer = {
  types: ['aws_ebs_volume'],
  price(r, ctx) {
    const size = num(r.body.size);
    const vt = r.body.type ?? 'gp2';
    if (size === undefined || (vt !== 'gp3' && vt !== 'gp2')) {
      ctx.skip(r, size === undefined ? 'no literal size' : `volume type ${vt} is not in the price table`);
      return;
    }
    ctx.aggregate(`EBS ${vt} volumes`, 'GB-month', ctx.pricesFor(r).ebs[vt as EbsType].usd, size, size, r.address);
  },
};

/** A Batch environment on EC2 instances: vCPUs at the cheapest listed type per vCPU (on demand or spot). */
function batchInstances(ctx: PricingContext, r: Resource, cr: Body, name: string, min: number, max: number): void {
  const pr = ctx.pricesFor(r);
  const types = blocks<string>(cr.instance_type);
  const candidates = types
    .map((t) => ({ t, price: pr.ec2Hour[t], vcpus: vcpusOf(t) }))
    .filter((c): c is { t: string; price: Price; vcpus: number } => c.price !== undefined && c.vcpus !== undefined)
    .sort((a, b) => a.price.usd / a.vcpus - b.price.usd / b.vcpus);
  if (candidates.length === 0) {
    ctx.skip(r, `no on-demand price or size for ${types.join(', ') || 'its instance types'} in ${ctx.region}`);
    return;
  }
  const best = candidates[0];
  const spot = (cr.type ?? 'EC2') === 'SPOT';
  const d = spot ? discountOf(ctx, best.t) : 0;
  const lt = ctx.model.ref(cr.launch_template, 'aws_launch_template');
  const addresses = [r.address, ...(lt ? [lt.address] : [])];
  const unpricedTypes = types.filter((t) => !candidates.some((c) => c.t === t));
  ctx.line({
    item: `Batch ${name}: ${best.t} ${spot ? 'spot' : 'on-demand'}`,
    quantity: { floor: min, ceiling: max },
    unit: `vCPU-month (${best.vcpus} per instance)`,
    unitPrice: (best.price.usd / best.vcpus) * ctx.hours * (1 - d),
    resources: addresses,
    note: [`vCPUs ${min} to ${max} at the cheapest listed type per vCPU`, spot ? `${Math.round(d * 100)}% below on-demand (assumed)` : '', unpricedTypes.length ? `no price for ${unpricedTypes.join(', ')}` : ''].filter(Boolean).join('; '),
    assumptions: spot ? ['spotDiscount'] : ['hoursPerMonth'],
  });
  ebsLines(ctx, `Batch ${name}`, addresses, lt, Math.ceil(min / best.vcpus), Math.ceil(max / best.vcpus), pr);
}

/** Batch compute environments (managed ones: unmanaged instances are someone else's). */
export const batchEnvironments: Pricer = {
  types: ['aws_batch_compute_environment'],
  price(r, ctx) {
    const cr = blocks(r.body.compute_resources)[0];
    if (!cr) return;
    const kind = cr.type ?? 'EC2';
    const min = num(cr.min_vcpus) ?? 0;
    const max = num(cr.max_vcpus);
    if (max === undefined) {
      ctx.skip(r, 'no literal max_vcpus');
      return;
    }
    const name = nameOf(r, 'compute_environment_name', 'compute_environment_name_prefix').replace(/-$/, '');
    if (kind !== 'FARGATE' && kind !== 'FARGATE_SPOT') {
      batchInstances(ctx, r, cr, name, min, max);
      return;
    }
    const pr = ctx.pricesFor(r);
    const spot = kind === 'FARGATE_SPOT';
    const price = ((spot ? pr.fargate.spotVcpuHour : pr.fargate.vcpuHour).usd + ctx.assumptions.batchFargateGbPerVcpu * (spot ? pr.fargate.spotGbHour : pr.fargate.gbHour).usd) * ctx.hours;
    ctx.line({ item: `Batch ${name}: ${spot ? 'Fargate Spot' : 'Fargate'}`, quantity: { floor: min, ceiling: max }, unit: 'vCPU-month', unitPrice: price, resources: [r.address], assumptions: ['batchFargateGbPerVcpu'] });
  },
};
