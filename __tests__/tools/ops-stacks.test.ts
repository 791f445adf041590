/**
 * The operations outputs of every ECS stack (`EcsPlatform.addOperationsOutputs`) as `npm run ops`
 * reads them: before the first apply from the synthesized configuration (names literal, the
 * account and the load balancer's DNS name known only after apply), once a state exists from the
 * state. Every command plans for every stack, and each stack's destroy names what it clears.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STACK_NAMES } from '../../stacks';
import { OPERATIONS_OUTPUTS } from '../../src/patterns';
import { SERVICE_COMMANDS, parseOpsArgs } from '../../tools/ops/args';
import { planDestroy } from '../../tools/ops/destroy';
import { OpsDocument, RawState, StackView, readState, stackOutputs, stackResources } from '../../tools/ops/stack';
import { OpsContract, readContract, serviceSteps, show } from '../../tools/ops/steps';
import { buildStack, synth } from '../helpers/synth';

/** What each ECS stack names: cluster, services (name, log group), images (repository, build context), and its endpoint. */
interface Expected {
  readonly region: string;
  readonly cluster: string;
  readonly services: Record<string, [name: string, logGroup: string]>;
  readonly images: Record<string, [repository: string, context: string]>;
  readonly endpoint: RegExp;
}

const ALB = /^http:\/\/<aws_lb\.alb_this_\w+\.dns_name>$/;
const artwork = (env: string): Expected => {
  const names = ['embeddings', 'gateway', 'geometric', 'search'];
  return {
    region: 'eu-west-1',
    cluster: `artwork-matcher-${env}`,
    services: Object.fromEntries(names.map((s) => [s, [`artwork-matcher-${env}-${s}`, `/ecs/artwork-matcher-${env}`]])),
    images: Object.fromEntries(names.map((s) => [s, [`artwork-matcher-${env}/${s}`, `services/${s}`]])),
    endpoint: ALB,
  };
};
const AGENTS = ['abracadabra', 'karma-hello', 'skill-extractor', 'validator', 'voice-extractor'];
const EXPECTED: Record<string, Expected> = {
  'artwork-matcher-demo': artwork('demo'),
  'artwork-matcher-staging': artwork('staging'),
  'artwork-matcher-production': artwork('production'),
  'vision-validator': { region: 'us-east-1', cluster: 'vision-validator-production', services: { 'vision-validator': ['vision-validator', '/ecs/production/vision-validator'] }, images: {}, endpoint: ALB },
  karmacadabra: {
    region: 'us-east-1',
    cluster: 'karmacadabra-prod',
    services: Object.fromEntries(AGENTS.map((a) => [a, [`karmacadabra-prod-${a}`, `/ecs/karmacadabra-prod/${a}`]])),
    images: Object.fromEntries(AGENTS.map((a) => [a, [`karmacadabra/${a}`, `services/${a}`]])),
    endpoint: ALB,
  },
  'ai-predictor': {
    region: 'us-east-1',
    cluster: 'predictor-model-dev-cluster',
    services: { backend: ['predictor-model-dev-backend', '/ecs/predictor-model-dev-backend'] },
    images: { backend: ['predictor-model-dev-backend', 'services/backend'] },
    endpoint: /^<aws_apigatewayv2_api\.api_this_\w+\.api_endpoint>$/,
  },
  'nutrition-video-analysis': {
    region: 'us-east-1',
    cluster: 'nutrition-video-analysis-dev-cluster',
    services: { worker: ['nutrition-video-analysis-dev-worker', '/ecs/nutrition-video-analysis-dev'] },
    images: { worker: ['nutrition-video-analysis-dev/worker', 'services/worker'], 'gpu-job': ['nutrition-video-analysis-dev/gpu-job', 'services/gpu-job'] },
    endpoint: /^<aws_api_gateway_stage\.api_stage_\w+\.invoke_url>$/,
  },
};

const docs = new Map<string, OpsDocument>();
/** The stack synthesized as `npm run ops` synthesizes it (no preview pins: the account is looked up). */
function docOf(stack: string): OpsDocument {
  if (!docs.has(stack)) docs.set(stack, synth(buildStack(stack)).json as OpsDocument);
  return docs.get(stack)!;
}
const viewOf = (stack: string, state?: RawState): StackView => ({ stack, dir: '', region: EXPECTED[stack]?.region ?? 'eu-west-1', doc: docOf(stack), state });
const contractOf = (view: StackView): OpsContract => readContract(view.stack, stackOutputs(view, OPERATIONS_OUTPUTS));

describe('the operations outputs of every ECS stack, read by npm run ops', () => {
  it('covers every stack of the app but the account-level one', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(STACK_NAMES.filter((s) => s !== 'state-bootstrap').sort());
    expect(() => contractOf(viewOf('state-bootstrap'))).toThrow('state-bootstrap runs no ECS service (it has no ecs_services output): only init, plan, apply and destroy apply to it');
  });

  it.each(Object.keys(EXPECTED))('%s: names its cluster, services, log groups, task families, images and endpoint before the first apply', (stack) => {
    const e = EXPECTED[stack];
    const c = contractOf(viewOf(stack));
    expect(c.cluster).toBe(e.cluster);
    expect(Object.fromEntries(Object.entries(c.services).map(([k, s]) => [k, [s.name, s.log_group]]))).toEqual(e.services);
    for (const s of Object.values(c.services)) expect(s.task_family).toBe(s.name);
    expect(Object.fromEntries(Object.entries(c.images).map(([k, i]) => [k, [i.repository_url, i.build_context]]))).toEqual(
      Object.fromEntries(Object.entries(e.images).map(([k, [repository, context]]) => [k, [`<account-id>.dkr.ecr.${e.region}.amazonaws.com/${repository}`, context]])),
    );
    expect(c.endpointUrl).toMatch(e.endpoint);
  });

  it.each(Object.keys(EXPECTED))('%s: plans every service command before the first apply', (stack) => {
    const view = viewOf(stack);
    const contract = contractOf(view);
    const [first] = Object.keys(contract.services);
    for (const command of SERVICE_COMMANDS.filter((c) => c !== 'push-images' || Object.keys(contract.images).length > 0)) {
      const args = command === 'logs' || command === 'exec' ? [first] : [];
      expect(serviceSteps(parseOpsArgs([stack, command, ...args, '--tag', 't1']), { region: view.region, contract }).length).toBeGreaterThan(0);
    }
    expect(serviceSteps(parseOpsArgs([stack, 'logs', first, '--no-follow']), { region: view.region, contract }).map(show)).toEqual([`aws logs tail ${EXPECTED[stack].services[first][1]} --region ${view.region} --since 1h`]);
  });

  it('gives the tag of a fixed image, or its digest, as the service\'s image tag', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const tagOf = (containerImage: string) => {
      const doc = synth(buildStack('vision-validator', { stacks: { 'vision-validator': { containerImage } } })).json as OpsDocument;
      return contractOf({ stack: 'vision-validator', dir: '', region: 'us-east-1', doc }).services['vision-validator'].image_tag;
    };
    expect(tagOf('ghcr.io/unforkableco/forge-plugins-vision:v1.1.0')).toBe('v1.1.0');
    expect(tagOf(`registry.example.com:5000/vision/validator@${digest}`)).toBe(digest);
  });

  it('reads the state\'s outputs once a state exists, and the state\'s attributes where a state lacks them', () => {
    const account = '210987654321';
    const url = `${account}.dkr.ecr.us-east-1.amazonaws.com/predictor-model-dev-backend`;
    const outputs = { ecs_cluster_name: 'c', ecs_services: { backend: { name: 'n', container: 'backend', log_group: 'g', task_family: 'n', image_tag: 'v2' } }, ecr_images: { backend: { repository_url: url, build_context: 'api' } }, endpoint_url: 'https://api.example.com' };
    const resources = [{ mode: 'data', type: 'aws_caller_identity', name: 'current', instances: [{ attributes: { account_id: account } }] }];
    const withOutputs = contractOf(viewOf('ai-predictor', { outputs: Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value }])), resources }));
    expect(withOutputs).toEqual({ cluster: 'c', services: outputs.ecs_services, images: outputs.ecr_images, endpointUrl: 'https://api.example.com' });
    // A state written before the outputs existed: the configuration's, resolved with the state's account.
    expect(contractOf(viewOf('ai-predictor', { outputs: {}, resources })).images.backend.repository_url).toBe(url);
  });

  it('finds the state of a local backend, and none before the first apply', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-state-'));
    try {
      const doc: OpsDocument = { terraform: { backend: { local: { path: '../terraform.x.tfstate' } } } };
      const stackDir = path.join(dir, 'stack');
      expect(readState(stackDir, doc, {})).toBeUndefined();
      fs.writeFileSync(path.join(dir, 'terraform.x.tfstate'), JSON.stringify({ version: 4, outputs: {}, resources: [] }));
      expect(readState(stackDir, doc, {})).toBeUndefined();
      const state = { version: 4, outputs: { ecs_cluster_name: { value: 'c' } }, resources: [{ mode: 'managed', type: 'aws_ecs_cluster', name: 'x', instances: [{ attributes: { name: 'c' } }] }] };
      fs.writeFileSync(path.join(dir, 'terraform.x.tfstate'), JSON.stringify(state));
      expect(readState(stackDir, doc, {})).toEqual(state);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run ops destroy, per stack', () => {
  const clears = (stack: string) => planDestroy(stack, viewOf(stack).region, stackResources(viewOf(stack))).blockers.map((b) => `${b.kind} ${b.name}`);

  it('clears nothing outside production (Terraform empties what it deletes) but a table whose protection is a setting', () => {
    expect(clears('artwork-matcher-demo')).toEqual([]);
    expect(clears('ai-predictor')).toEqual([]);
    expect(clears('nutrition-video-analysis')).toEqual(['deletion-protection nutrition-video-analysis-dev-jobs']);
  });

  it('empties production\'s buckets, repositories and vault and turns its load balancer\'s protection off', () => {
    expect(clears('artwork-matcher-production')).toEqual([
      'recovery-points artwork-matcher-production',
      ...['embeddings', 'gateway', 'geometric', 'search'].map((s) => `images artwork-matcher-production/${s}`),
      'deletion-protection artwork-matcher-production',
      'objects artwork-matcher-production-logs-<account-id>-eu-west-1',
      'objects artwork-matcher-production-data-<account-id>-eu-west-1',
    ]);
    expect(clears('vision-validator')).toEqual(['deletion-protection vision-validator-production', 'objects vision-validator-production-logs-<account-id>-us-east-1']);
    expect(clears('karmacadabra')).toEqual([...AGENTS.map((a) => `images karmacadabra/${a}`), 'deletion-protection karmacadabra-prod', 'objects karmacadabra-prod-logs-<account-id>-us-east-1']);
  });

  it('refuses state-bootstrap, whose bucket and table have prevent_destroy', () => {
    expect(() => clears('state-bootstrap')).toThrow(/^state-bootstrap cannot be destroyed: aws_dynamodb_table\.state_lock-table_\w+, aws_s3_bucket\.state_bucket_\w+ have lifecycle\.prevent_destroy/);
  });
});
