/**
 * `"profile": "lean"` on every application stack: its key resources (a NAT instance instead of a
 * NAT gateway, no interface endpoints, Container Insights off, spot capacity, ...), its price at the
 * design document's usage (`docs/usage/<stack>-light.json`, as `npm run cost -- <stack> --deployed
 * --assumptions docs/usage/<stack>-light.json` prices it) within the document's figure, and the
 * user's settings beside it still winning. docs/cost.md quotes these figures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { resolveAppSettings } from '../../stacks';
import { Assumptions, Estimate, estimate } from '../../tools/cost/estimate';
import { check } from '../../tools/guardrails';
import { Synthesized, allOf, buildStack, countOf, errorOf, onlyOf, synth, testApp } from '../helpers/synth';

/** The usage a stack's design document states, as the cost tool reads it. */
function usage(stack: string): Partial<Assumptions> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'usage', `${stack}-light.json`), 'utf8'));
}

/** Stacks whose services wait for `imageTag`: priced as deployed (`--deployed`), with their images. */
const TAKES_IMAGES = new Set(['karmacadabra', 'ai-predictor', 'nutrition-video-analysis']);

const cache = new Map<string, ReturnType<typeof synth>>();
/** A stack synthesized in preview mode with `settings` (and its images, as `--deployed` prices it), once per test file. */
function synthesized(stack: string, settings: Record<string, unknown> = {}): ReturnType<typeof synth> {
  const all = TAKES_IMAGES.has(stack) ? { imageTag: 'deployed', ...settings } : settings;
  const key = `${stack} ${JSON.stringify(all)}`;
  if (!cache.has(key)) cache.set(key, synth(buildStack<TerraformStack>(stack, { stacks: { [stack]: all } }, testApp(), true)));
  return cache.get(key)!;
}
const synthOf = (stack: string, settings: Record<string, unknown> = {}): Synthesized => synthesized(stack, settings).json;
const lean = (stack: string, settings: Record<string, unknown> = {}) => synthOf(stack, { profile: 'lean', ...settings });
const priced = (stack: string, json: Synthesized): Estimate => estimate(json, { assumptions: usage(stack) });

/** What the guardrails report at error severity without a suppression (a synth stops on any), on the lean profile of `stack`. */
const errors = (stack: string) => check(synthesized(stack, { profile: 'lean' }).document).filter((f) => f.severity === 'error' && !f.suppressed);
const interfaceEndpoints = (json: Synthesized) => allOf(json, 'aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Interface');
const insights = (json: Synthesized) => onlyOf(json, 'aws_ecs_cluster').setting.find((x: { name: string }) => x.name === 'containerInsights').value;

describe('karmacadabra, lean (document 003: 79-96 USD a month)', () => {
  const json = () => lean('karmacadabra');

  it('has a NAT instance instead of the NAT gateway, no interface endpoints and Container Insights off', () => {
    expect(countOf(json(), 'aws_nat_gateway')).toBe(0);
    expect(onlyOf(json(), 'aws_instance')).toMatchObject({ instance_type: 't4g.nano', source_dest_check: false });
    expect(interfaceEndpoints(json())).toEqual([]);
    expect(allOf(json(), 'aws_vpc_endpoint').map((e) => e.service_name)).toEqual(['com.amazonaws.us-east-1.s3']);
    expect(insights(json())).toBe('disabled');
    expect(errors('karmacadabra')).toEqual([]);
  });

  it('keeps one task per agent on Fargate Spot, scaling to three', () => {
    const services = allOf(json(), 'aws_ecs_service');
    expect(services).toHaveLength(5);
    for (const s of services) expect(s.capacity_provider_strategy).toEqual([{ base: 0, capacity_provider: 'FARGATE_SPOT', weight: 1 }]);
    for (const t of allOf(json(), 'aws_appautoscaling_target')) expect([t.min_capacity, t.max_capacity]).toEqual([1, 3]);
  });

  it('costs 79-96 USD a month or less at the document\'s usage, floor and ceiling; the standard profile does not', () => {
    const e = priced('karmacadabra', json());
    expect(e.unpriced).toEqual([]);
    expect(e.floor).toBeGreaterThan(50);
    expect(e.ceiling).toBeLessThanOrEqual(96);
    expect(priced('karmacadabra', synthOf('karmacadabra')).floor).toBeGreaterThan(96);
  });

  it('lets a setting beside the profile win', () => {
    const mine = lean('karmacadabra', { network: { natGateways: 'single' }, containerInsights: true });
    expect(countOf(mine, 'aws_nat_gateway')).toBe(1);
    expect(countOf(mine, 'aws_instance')).toBe(0);
    expect(insights(mine)).toBe('enabled');
    // The rest of the lean profile stays.
    expect(interfaceEndpoints(mine)).toEqual([]);
  });
});

describe('ai-predictor, lean (document 001: 8-15 USD a month)', () => {
  const json = () => lean('ai-predictor');

  it('runs the task in public subnets with a public IP, reachable only from the VPC link, with no endpoint and no NAT', () => {
    const service = onlyOf(json(), 'aws_ecs_service');
    expect(service.network_configuration.assign_public_ip).toBe(true);
    expect(service.network_configuration.subnets).toEqual([expect.stringMatching(/^\$\{aws_subnet\.vpc_public-1_/), expect.stringMatching(/^\$\{aws_subnet\.vpc_public-2_/)]);
    expect(interfaceEndpoints(json())).toEqual([]);
    expect(countOf(json(), 'aws_nat_gateway') + countOf(json(), 'aws_instance')).toBe(0);
    expect(countOf(json(), 'aws_internet_gateway')).toBe(1);
    // The service's security group admits its port from the VPC link's group only.
    const group = service.network_configuration.security_groups[0].match(/aws_security_group\.([\w-]+)\.id/)[1];
    const ingress = allOf(json(), 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === `\${aws_security_group.${group}.id}`);
    expect(ingress).toHaveLength(1);
    expect(ingress[0].referenced_security_group_id).toMatch(/aws_security_group\.api_vpc-link/);
    expect(ingress[0].cidr_ipv4).toBeUndefined();
    // The VPC link stays in the private subnets.
    expect(onlyOf(json(), 'aws_apigatewayv2_vpc_link').subnet_ids.every((s: string) => s.includes('vpc_private-'))).toBe(true);
    expect(insights(json())).toBe('disabled');
    expect(errors('ai-predictor')).toEqual([]);
  });

  it('starts its tasks only once the public subnets route to the internet (before that they use the main route table, which has no way out)', () => {
    const dependsOn = onlyOf(json(), 'aws_ecs_service').depends_on as string[];
    expect(dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_route\.vpc_public-internet_/), expect.stringMatching(/^aws_route_table_association\.vpc_public-1-rta_/), expect.stringMatching(/^aws_route_table_association\.vpc_public-2-rta_/)]));
  });

  it('keeps one task on Fargate Spot', () => {
    expect(onlyOf(json(), 'aws_ecs_service').capacity_provider_strategy).toEqual([{ base: 0, capacity_provider: 'FARGATE_SPOT', weight: 1 }]);
    expect(onlyOf(json(), 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 1, max_capacity: 1 });
  });

  it('costs 8-15 USD a month at the document\'s usage, floor and ceiling; the standard profile does not', () => {
    const e = priced('ai-predictor', json());
    expect(e.unpriced).toEqual([]);
    expect(e.floor).toBeGreaterThanOrEqual(8);
    expect(e.ceiling).toBeLessThanOrEqual(15);
    expect(priced('ai-predictor', synthOf('ai-predictor')).floor).toBeGreaterThan(15);
  });

  it('lets a setting beside the profile win', () => {
    const mine = lean('ai-predictor', { backend: { maxCapacity: 4 }, network: { interfaceEndpoints: ['logs'] } });
    expect(onlyOf(mine, 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 1, max_capacity: 4 });
    expect(interfaceEndpoints(mine).map((e) => e.service_name)).toEqual(['com.amazonaws.us-east-1.logs']);
    expect(onlyOf(mine, 'aws_ecs_service').network_configuration.assign_public_ip).toBe(true);
    // Back in private subnets, the task needs its endpoints again: refused without them.
    expect(errorOf(() => lean('ai-predictor', { backend: { assignPublicIp: false } }))).toContain('network.natGateways: "none": without a NAT gateway, private subnets reach "ecr.api" only through a VPC endpoint');
  });

  it('refuses assignPublicIp beside a NAT gateway, where it changes nothing about the way out', () => {
    expect(errorOf(() => synthOf('ai-predictor', { backend: { assignPublicIp: true }, network: { natGateways: 'single' } }))).toContain(
      'backend.assignPublicIp: true has no effect on egress with natGateways "single"',
    );
  });
});

describe('nutrition-video-analysis, lean (document 002: about 25 USD a month at 100 videos)', () => {
  const json = () => lean('nutrition-video-analysis');

  it('has a NAT instance, no interface endpoint, no always-on worker, Container Insights off and GPU jobs capped', () => {
    expect(countOf(json(), 'aws_nat_gateway')).toBe(0);
    expect(onlyOf(json(), 'aws_instance')).toMatchObject({ source_dest_check: false });
    expect(interfaceEndpoints(json())).toEqual([]);
    expect(insights(json())).toBe('disabled');
    const worker = allOf(json(), 'aws_appautoscaling_target').find((t) => String(t.resource_id).includes('worker'))!;
    expect([worker.min_capacity, worker.max_capacity]).toEqual([0, 2]);
    const gpu = onlyOf(json(), 'aws_batch_compute_environment').compute_resources;
    expect(gpu).toMatchObject({ min_vcpus: 0, max_vcpus: 8, type: 'SPOT' });
    expect(onlyOf(json(), 'aws_budgets_budget').limit_amount).toBe('40');
    expect(errors('nutrition-video-analysis')).toEqual([]);
  });

  it('costs under 25 USD a month with no job running at the document\'s usage; the standard profile does not', () => {
    const e = priced('nutrition-video-analysis', json());
    expect(e.unpriced).toEqual([]);
    expect(e.floor).toBeLessThanOrEqual(25);
    // The ceiling is every worker task and 8 GPU vCPUs busy all month: a runaway month, in hundreds.
    expect(e.ceiling).toBeLessThan(300);
    expect(priced('nutrition-video-analysis', synthOf('nutrition-video-analysis')).floor).toBeGreaterThan(25);
  });

  it('lets a setting beside the profile win', () => {
    const mine = lean('nutrition-video-analysis', { maxVcpus: 64, network: { natGateways: 'single' } });
    expect(onlyOf(mine, 'aws_batch_compute_environment').compute_resources.max_vcpus).toBe(64);
    expect(countOf(mine, 'aws_nat_gateway')).toBe(1);
    expect(insights(mine)).toBe('disabled');
  });
});

describe('vision-validator, lean (document 000: about 414 USD a month)', () => {
  const json = () => lean('vision-validator');

  it('runs the GPU instances on spot over two sizes, one task with room for a rolling deployment, Container Insights off', () => {
    const asg = onlyOf(json(), 'aws_autoscaling_group');
    expect(asg.max_size).toBe(2);
    expect(asg.mixed_instances_policy.instances_distribution).toMatchObject({ on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 0 });
    expect(asg.mixed_instances_policy.launch_template.override.map((o: { instance_type: string }) => o.instance_type)).toEqual(['g4dn.xlarge', 'g4dn.2xlarge']);
    expect(onlyOf(json(), 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 1, max_capacity: 1 });
    expect(insights(json())).toBe('disabled');
    // The instances pull their image from ghcr.io: the NAT gateway stays.
    expect(countOf(json(), 'aws_nat_gateway')).toBe(1);
    expect(errors('vision-validator')).toEqual([]);
  });

  it('costs under 414 USD a month at the document\'s usage, floor and ceiling; the standard profile does not', () => {
    const e = priced('vision-validator', json());
    expect(e.unpriced).toEqual([]);
    expect(e.ceiling).toBeLessThanOrEqual(414);
    expect(priced('vision-validator', synthOf('vision-validator')).floor).toBeGreaterThan(414);
  });

  it('lets a setting beside the profile win', () => {
    const mine = lean('vision-validator', { gpu: { spot: false }, containerInsights: true });
    expect(onlyOf(mine, 'aws_autoscaling_group').mixed_instances_policy).toBeUndefined();
    expect(insights(mine)).toBe('enabled');
    expect(onlyOf(mine, 'aws_autoscaling_group').max_size).toBe(2);
  });
});

describe('artwork-matcher: the environments are its profiles', () => {
  it('gives each environment its own defaults under "profile": "lean" (demo is the lean system; docs/cost.md)', () => {
    for (const env of ['demo', 'staging', 'production']) {
      const name = `artwork-matcher-${env}`;
      const resolve = (settings: Record<string, unknown>) => resolveAppSettings({ stacks: { [name]: settings } }, false, [name]).stacks.get(name) as Record<string, unknown>;
      expect({ ...resolve({ profile: 'lean' }), profile: 'standard' }).toEqual(resolve({}));
    }
  });
});
