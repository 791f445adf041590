import type { Viz } from '@viz-js/viz';
import { TerraformVariable } from 'cdktf';
import { ApplicationLoadBalancer } from '../../src/edge/alb';
import { EcsCluster } from '../../src/compute/ecs-cluster';
import { EcsService } from '../../src/compute/ecs-service';
import { LogGroup } from '../../src/observability/logs';
import { SecureBucket } from '../../src/data/bucket';
import { Vpc } from '../../src/network/vpc';
import { STACK_NAMES } from '../../stacks';
import { Table } from '../../src/data/table';
import { AwsStack } from '../../src/core/aws-stack';
import { graphOf } from '../../tools/diagrams/graph';
import { createViz, main, svgOf } from '../../tools/diagrams';
import { StackModel } from '../../tools/model';
import { synth, testStack } from '../helpers/synth';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.0';

// One Graphviz instance for the whole file: compiling the WebAssembly is the slow part.
let viz: Viz;
beforeAll(async () => {
  viz = await createViz();
});

// Each stack's committed picture is checked in __tests__/stacks/all-stacks.test.ts (one synth per stack).

/** The picture of `stack`, from its model (with the relations its constructs recorded). */
function dotOf(stack: AwsStack, title: string): string {
  return graphOf(StackModel.fromStack(stack, synth(stack).document), title);
}

/**
 * A VPC, an ALB routing `/` to `web` and `/api/*` to `api` (autoscaled, Fargate Spot), a bucket
 * `api` reads and `web` writes, and a table `web` may only write (its grant includes
 * `dynamodb:DescribeTable`, which reads no item).
 */
function shopDot(extra: (stack: AwsStack, services: { web: EcsService; api: EcsService; alb: ApplicationLoadBalancer }) => void = () => undefined): string {
  const stack = testStack();
  const vpc = new Vpc(stack, 'vpc', { namePrefix: 'shop', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single', gatewayEndpoints: ['s3'] });
  const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'shop' });
  const logGroup = new LogGroup(stack, 'logs', { name: '/ecs/shop' });
  const alb = new ApplicationLoadBalancer(stack, 'alb', { namePrefix: 'shop', vpc });
  const bucket = new SecureBucket(stack, 'data', { bucketName: 'shop-data', versioned: true });
  const common = { cluster, vpc, logGroup, image: IMAGE, containerPort: 8080 };
  const web = new EcsService(stack, 'web', { ...common, serviceName: 'shop-web', cpu: 256, memoryMiB: 512, loadBalancer: { alb, route: 'default' } });
  const api = new EcsService(stack, 'api', {
    ...common,
    serviceName: 'shop-api',
    cpu: 1024,
    memoryMiB: 2048,
    capacityProviderStrategy: [
      { capacityProvider: 'FARGATE_SPOT', weight: 3 },
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
    ],
    loadBalancer: { alb, route: { priority: 10, pathPatterns: ['/api/*'] } },
  });
  api.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 6, cpu: { target: 60 } });
  bucket.grantRead(api);
  bucket.grantWrite(web);
  new Table(stack, 'orders', { tableName: 'shop-orders', partitionKey: { name: 'id', type: 'S' } }).grantWriteData(web);
  extra(stack, { web, api, alb });
  return dotOf(stack, 'shop');
}

/** The DOT statements (one a line) of `dot`, for exact matches. */
function statements(dot: string): string[] {
  return dot.split('\n').map((l) => l.trim());
}

/** The edge statement `from -> to`, or undefined. */
function edge(dot: string, from: string, to: string): string | undefined {
  return statements(dot).find((l) => l.startsWith(`"${from}" -> "${to}" [`) && !l.includes('style=invis'));
}

/** The node statement of `id`, or undefined. */
function node(dot: string, id: string): string | undefined {
  return statements(dot).find((l) => l.startsWith(`"${id}" [label=`));
}

describe('graphOf', () => {
  const dot = shopDot();

  it('shows the edge, the services, the data and the network, with names without the stack prefix', () => {
    expect(node(dot, 'internet')).toContain('Internet / clients');
    expect(node(dot, 'lb:shop')).toMatch(/<B>shop<\/B><BR\/>internet-facing<BR\/>HTTP :80>/);
    expect(node(dot, 'route:shop:api')).toContain('<B>/api/*</B>');
    expect(node(dot, 'route:shop:web')).toContain('<B>any path (default)</B>');
    expect(node(dot, 'target-group:api')).toContain('HTTP :8080 · ip targets<BR/>health /health');
    expect(node(dot, 'service:api')).toContain('<B>api</B><BR/>1 vCPU · 2 GiB<BR/>tasks 2..6<BR/>Fargate Spot 75%<BR/>Fargate 25% (base 1)');
    expect(node(dot, 'service:web')).toContain('<B>web</B><BR/>0.25 vCPU · 512 MiB<BR/>tasks 1<BR/>Fargate');
    expect(node(dot, 'bucket:shop-data')).toContain('<B>data</B><BR/>versioned');
    expect(node(dot, 'vpc:shop')).toContain('10.0.0.0/16<BR/>2 zones: eu-west-1a, eu-west-1b<BR/>subnets: 2 private + 2 public<BR/>NAT gateways: 1 · internet gateway<BR/>gateway endpoints: s3');
    expect(dot).toContain('names shown without the prefix &quot;shop-&quot;');
  });

  it('groups nodes: edge, compute (inside the ECS cluster), data, network', () => {
    const cluster = (id: string) => {
      const lines = statements(dot);
      const at = lines.findIndex((l) => l.startsWith(`"${id}" [label=`));
      return lines.slice(0, at).filter((l) => l.startsWith('subgraph "cluster_')).pop();
    };
    expect(cluster('lb:shop')).toBe('subgraph "cluster_edge" {');
    expect(cluster('route:shop:api')).toBe('subgraph "cluster_edge" {');
    expect(cluster('target-group:api')).toBe('subgraph "cluster_edge" {');
    expect(cluster('service:api')).toBe('subgraph "cluster_compute_1" {');
    expect(dot).toContain('label="ECS cluster shop"');
    expect(cluster('bucket:shop-data')).toBe('subgraph "cluster_data" {');
    expect(cluster('vpc:shop')).toBe('subgraph "cluster_network" {');
  });

  it('draws the references: internet -> load balancer -> route -> target group -> service -> bucket', () => {
    expect(edge(dot, 'internet', 'lb:shop')).toBeDefined();
    for (const svc of ['api', 'web']) {
      expect(edge(dot, 'lb:shop', `route:shop:${svc}`)).toBeDefined();
      expect(edge(dot, `route:shop:${svc}`, `target-group:${svc}`)).toBeDefined();
      expect(edge(dot, `target-group:${svc}`, `service:${svc}`)).toContain('label=":8080"');
    }
    expect(edge(dot, 'service:api', 'bucket:shop-data')).toContain('label="read"');
    expect(edge(dot, 'service:web', 'bucket:shop-data')).toContain('label="write"');
    // Plumbing stays out: no IAM, security group, subnet or route table nodes, no crossed wires.
    expect(dot).not.toMatch(/"(aws_|role|security|subnet)/);
    expect(edge(dot, 'route:shop:api', 'target-group:web')).toBeUndefined();
    expect(edge(dot, 'service:api', 'service:web')).toBeUndefined();
  });

  it('draws access from the grants the constructs recorded, in their words', () => {
    expect(edge(dot, 'service:web', 'table:shop-orders')).toContain('label="write"');
    expect(edge(dot, 'service:api', 'table:shop-orders')).toBeUndefined();
  });

  it('draws no access edge for a policy statement no construct recorded as a grant', () => {
    const withStatement = shopDot((stack, { api }) => {
      const table = stack.node.findChild('orders') as Table;
      api.addToPolicy({ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: table.tableArn });
    });
    expect(edge(withStatement, 'service:api', 'table:shop-orders')).toBeUndefined();
  });

  it('routes the default path to the rule that replaced the listener default (a required header)', () => {
    const guarded = shopDot((stack, { alb }) => alb.requireHeader('X-Origin-Verify', new TerraformVariable(stack, 'secret', { type: 'string', sensitive: true }).stringValue));
    expect(node(guarded, 'route:shop:web')).toContain('<B>rule 50000</B>');
    expect(node(guarded, 'lb:shop')).toContain('HTTP :80 · default 403');
  });

  it('needs the relations: a synthesized document alone is refused', () => {
    const stack = testStack();
    new SecureBucket(stack, 'data', { bucketName: 'shop-data' });
    expect(() => graphOf(synth(stack).json, 'shop')).toThrow(/StackModel\.fromStack/);
  });

  it('is deterministic and lays out as SVG', () => {
    expect(shopDot()).toBe(dot);
    const svg = svgOf(viz, dot);
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain('<title>service:api</title>');
    expect(svg).toContain('font-family="Helvetica,Arial,sans-serif"');
  });
});

describe('npm run diagrams', () => {
  it('refuses an unknown stack or option before rendering anything', async () => {
    const errors: string[] = [];
    expect(await main(['--check', 'no-such-stack', '--force'], () => undefined, (l) => errors.push(l))).toBe(2);
    expect(errors).toEqual([
      'unknown option --force; usage: npm run diagrams -- [--check] [stack ...]',
      `unknown stack no-such-stack; stacks: ${STACK_NAMES.join(', ')}`,
    ]);
  });
});
