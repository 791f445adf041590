/**
 * Every stack's deployment journey, planned offline step by step against the state the step before
 * leaves (helpers/journey.ts): first apply without images, images pushed, a scaling change, a new
 * member where the stack has a map of them, a third zone, HTTPS, a re-synth that must plan
 * nothing, and the destroy. Each settings step keeps the rules of every step (nothing stateful
 * replaced or destroyed, nothing serving destroyed first, the configured scaling bounds reach AWS)
 * and does what it is for. The destroy removes everything the journey left, and names what stops
 * it partway (what `npm run ops -- <stack> destroy` clears first, docs/operations.md): outside
 * production nothing, Terraform empties what it deletes; state-bootstrap's `prevent_destroy`
 * stops it before it starts.
 */
import { STACK_NAMES } from '../../stacks';
import type { PlanSummary } from '../../tools/terraform/plan';
import { DestroyResult, DestroyStep, JourneyStep, StepResult, breaches, describeChanges, runJourney } from '../helpers/journey';
import { describeWithTerraform } from '../helpers/terraform';

const certificate = (region: string) => ({ alb: { certificateArn: `arn:aws:acm:${region}:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789` } });
const IMAGES: JourneyStep = { label: 'images pushed', settings: { imageTag: 'a1b2c3d' } };
const THIRD_ZONE: JourneyStep = {
  label: 'a third zone',
  settings: { network: { azCount: 3 } },
  // A zone only adds: subnets, routes, NAT or mount targets of the new zone; nothing is replaced.
  expect: (plan) => expect(describeChanges(plan).filter((c) => / (replace|destroy)\b/.test(c))).toEqual([]),
};
const RESYNTH: JourneyStep = { label: 'the same settings again', settings: {}, expect: (plan) => expect(describeChanges(plan)).toEqual([]) };
/** The lean profile over a deployed stack (docs/cost.md), and back: nothing stateful is replaced, nothing serving destroyed first. */
// A profile switch retires the path it no longer uses, after the routes have moved to the new one
// (in place): the NAT gateway and interface endpoints going lean, the NAT instance coming back.
// Nothing stateful is replaced either way (the rules of every step).
const LEAN: JourneyStep = { label: 'the lean profile', settings: { profile: 'lean' }, retires: ['aws_nat_gateway', 'aws_vpc_endpoint'] };
const STANDARD_AGAIN: JourneyStep = { label: 'back to the standard profile', settings: { profile: 'standard' }, retires: ['aws_instance'] };

/** What a changed address set looks like, by resource type. */
const byType = (plan: PlanSummary, kind: string) => [...new Set(Object.entries(plan.actions).filter(([, k]) => k === kind).map(([a]) => a.split('.')[0]))].sort();

const firstApply: JourneyStep = { label: 'first apply', settings: {}, expect: (plan) => expect(plan.update + plan.replace + plan.destroy).toBe(0) };

/**
 * The last step: the destroy removes every resource the steps left (and nothing else happens),
 * and what stops it partway is `blockers` (`<kind> <type>`, one per object to empty or unprotect).
 */
const destroy = (blockers: readonly string[]): DestroyStep => ({
  kind: 'destroy',
  label: 'destroy',
  expect: (r) => {
    expect(r.refused).toBeUndefined();
    expect(Object.entries(r.plan!.actions).filter(([, kind]) => kind !== 'destroy')).toEqual([]);
    expect(Object.keys(r.plan!.actions).sort()).toEqual([...r.inState].sort());
    expect(r.blockers.map((b) => `${b.kind} ${b.type}`).sort()).toEqual([...blockers].sort());
  },
});
/** Production's load balancer keeps its deletion protection and its access logs (docs/operations.md). */
const PRODUCTION_ALB = ['deletion-protection aws_lb', 'objects aws_s3_bucket'];
const images = (n: number) => Array<string>(n).fill('images aws_ecr_repository');

const JOURNEYS: Record<string, readonly JourneyStep[]> = {
  'state-bootstrap': [
    firstApply,
    {
      label: 'account set-up',
      settings: { account: { serviceLinkedRoles: { ecs: 'create', spot: 'create' }, apiGatewayCloudWatchRole: true, costAllocationTags: ['Stack'] } },
      expect: (plan) => expect(byType(plan, 'create')).toEqual(['aws_api_gateway_account', 'aws_ce_cost_allocation_tag', 'aws_iam_role', 'aws_iam_role_policy_attachment', 'aws_iam_service_linked_role']),
    },
    RESYNTH,
    {
      kind: 'destroy',
      label: 'destroy',
      // The state bucket and lock table hold every stack's state: Terraform refuses to plan their
      // destroy until `protect: false` is applied.
      expect: (r) => {
        expect(r.plan).toBeUndefined();
        expect(r.refused).toMatch(/Resource aws_s3_bucket\.state_bucket_\w+ has\s+lifecycle\.prevent_destroy set/);
        expect(r.blockers.map((b) => `${b.kind} ${b.type}`).sort()).toEqual(['deletion-protection aws_dynamodb_table', 'objects aws_s3_bucket', 'prevent-destroy aws_dynamodb_table', 'prevent-destroy aws_s3_bucket']);
      },
    },
  ],
  'artwork-matcher-demo': [firstApply, IMAGES, { label: 'a scaling change', settings: { services: { gateway: { maxCapacity: 3 } } } }, THIRD_ZONE, { label: 'HTTPS', settings: certificate('eu-west-1') }, RESYNTH, destroy([])],
  'artwork-matcher-staging': [firstApply, IMAGES, { label: 'a scaling change', settings: { services: { geometric: { maxCapacity: 8 } } } }, THIRD_ZONE, { label: 'HTTPS', settings: certificate('eu-west-1') }, RESYNTH, destroy([])],
  'artwork-matcher-production': [
    firstApply,
    {
      ...IMAGES,
      // Scheduled actions own the bounds: the targets are registered again with them (their
      // policies with them); the new image is a new revision of each task definition.
      expect: (plan) => expect(byType(plan, 'replace')).toEqual(['aws_appautoscaling_policy', 'aws_appautoscaling_target', 'aws_ecs_task_definition']),
    },
    { label: 'a scaling change during an incident', settings: { services: { gateway: { maxCapacity: 30 } } } },
    THIRD_ZONE,
    { label: 'HTTPS', settings: certificate('eu-west-1') },
    RESYNTH,
    destroy([...PRODUCTION_ALB, 'objects aws_s3_bucket', ...images(4), 'recovery-points aws_backup_vault']),
  ],
  'vision-validator': [
    firstApply,
    { label: 'a scaling change', settings: { service: { maxCapacity: 3 } } },
    THIRD_ZONE,
    { label: 'HTTPS', settings: certificate('us-east-1') },
    // The scaling change above keeps 3 tasks, which the lean profile's 2 instances cannot hold: the user raises gpu.maxSize with it.
    { ...LEAN, settings: { profile: 'lean', gpu: { maxSize: 4 } } },
    STANDARD_AGAIN,
    RESYNTH,
    destroy(PRODUCTION_ALB),
  ],
  karmacadabra: [
    firstApply,
    IMAGES,
    { label: 'a scaling change', settings: { agentDefaults: { maxCapacity: 4 } } },
    {
      label: 'a sixth agent',
      settings: { agents: { 'market-maker': { port: 9006 } } },
      // The five agents are redeployed after the new one exists: their new tasks see its endpoint.
      expect: (plan) => expect(Object.entries(plan.actions).filter(([a, k]) => a.startsWith('aws_ecs_service.') && k === 'update')).toHaveLength(5),
    },
    // Its zones are pinned (the document's us-east-1a and b): the third is pinned too (azCount alone is refused: it would do nothing).
    { ...THIRD_ZONE, settings: { network: { availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] } } },
    {
      label: 'HTTPS',
      settings: certificate('us-east-1'),
      // Path routing moves to the HTTPS listener: each rule is created there before the old one goes.
      expect: (plan) => expect(Object.entries(plan.replaceOrder).filter(([a]) => a.startsWith('aws_lb_listener_rule.')).map(([, o]) => o)).toEqual(Array(6).fill('create-first')),
    },
    LEAN,
    STANDARD_AGAIN,
    RESYNTH,
    destroy([...PRODUCTION_ALB, ...images(6)]),
  ],
  // No way back in the journey: back to private subnets, the public ones (and the internet gateway) go while the tasks may still be in them.
  'ai-predictor': [firstApply, IMAGES, { label: 'a scaling change', settings: { backend: { maxCapacity: 6 } } }, THIRD_ZONE, LEAN, RESYNTH, destroy([])],
  'nutrition-video-analysis': [
    firstApply,
    IMAGES,
    { label: 'a scaling change', settings: { worker: { maxCapacity: 20 } } },
    {
      ...THIRD_ZONE,
      // The GPU compute environment takes the new subnet in place: running jobs go on.
      expect: (plan) => {
        THIRD_ZONE.expect!(plan, {} as StepResult);
        expect(Object.entries(plan.actions).filter(([a]) => a.startsWith('aws_batch_compute_environment.'))).toEqual([[expect.any(String), 'update']]);
      },
    },
    LEAN,
    STANDARD_AGAIN,
    RESYNTH,
    // The jobs table's deletion protection is a setting (on by default, in every environment).
    destroy(['deletion-protection aws_dynamodb_table']),
  ],
};

/** Holds a step's result to what the step expects. */
function check(step: JourneyStep, result: StepResult | DestroyResult): void {
  if (step.kind === 'destroy') step.expect(result as DestroyResult);
  else step.expect?.((result as StepResult).plan, result as StepResult);
}

it('has a journey for every stack of the app', () => {
  expect(Object.keys(JOURNEYS).sort()).toEqual([...STACK_NAMES].sort());
});

describeWithTerraform('deployment journeys, step by step', () => {
  it.concurrent.each(Object.keys(JOURNEYS).map((n) => [n]))('%s', async (name) => {
    const steps = JOURNEYS[name];
    const results = await runJourney(name, steps);
    expect(breaches(results)).toEqual([]);
    results.forEach((r, i) => check(steps[i], r));
  });
});
