/**
 * The model of a synthesized stack (tools/model): resources with their construct paths, data
 * sources, outputs, variables, providers, references (inside `jsonencode` documents too), and the
 * relations the constructs record (src/core/relations.ts), which never reach the document.
 */
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { ApplicationLoadBalancer } from '../../src/edge/alb';
import { AwsStack } from '../../src/core/aws-stack';
import { EcsCluster } from '../../src/compute/ecs-cluster';
import { EcsService } from '../../src/compute/ecs-service';
import { LogGroup } from '../../src/observability/logs';
import { Queue } from '../../src/data/queue';
import { SecureBucket } from '../../src/data/bucket';
import { Table } from '../../src/data/table';
import { Vpc } from '../../src/network/vpc';
import { Relation, StackModel } from '../../tools/model';
import { synth, testStack } from '../helpers/synth';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.0';

interface Shop {
  readonly stack: AwsStack;
  readonly alb: ApplicationLoadBalancer;
}

/** A VPC, an ALB in front of one service, a bucket the service reads (twice) and writes, a table it writes, a queue the bucket notifies. */
function shop(build: (s: Shop) => void = () => undefined): { model: StackModel; document: Record<string, any>; text: string } {
  const stack = testStack();
  const vpc = new Vpc(stack, 'vpc', { namePrefix: 'shop', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single' });
  const cluster = new EcsCluster(stack, 'cluster', { clusterName: 'shop' });
  const logGroup = new LogGroup(stack, 'logs', { name: '/ecs/shop' });
  const alb = new ApplicationLoadBalancer(stack, 'alb', { namePrefix: 'shop', vpc });
  const bucket = new SecureBucket(stack, 'data', { bucketName: 'shop-data' });
  const queue = new Queue(stack, 'jobs', { queueName: 'shop-jobs' });
  const table = new Table(stack, 'orders', { tableName: 'shop-orders', partitionKey: { name: 'id', type: 'S' } });
  const web = new EcsService(stack, 'web', { cluster, vpc, logGroup, image: IMAGE, containerPort: 8080, serviceName: 'shop-web', loadBalancer: { alb, route: 'default' } });
  bucket.grantRead(web);
  bucket.grantRead(web);
  bucket.grantWrite(web);
  table.grantWriteData(web);
  bucket.addQueueNotification(queue);
  new DataAwsCallerIdentity(stack, 'me');
  new TerraformVariable(stack, 'api_key', { type: 'string', sensitive: true });
  new TerraformOutput(stack, 'bucket_arn', { value: bucket.bucketArn, description: 'the bucket' });
  stack.providerFor('us-east-1');
  build({ stack, alb });
  const { document, text } = synth(stack);
  return { model: StackModel.fromStack(stack, document), document, text };
}

const only = <T>(items: readonly T[]): T => {
  if (items.length !== 1) throw new Error(`expected one, found ${items.length}`);
  return items[0];
};
const describeRelation = (r: Relation) => `${r.kind} ${r.from.path} -> ${r.to.path}${r.access.length ? ` (${r.access.join(', ')})` : ''}`;

describe('StackModel of a synthesized stack', () => {
  const { model, document, text } = shop();

  it('holds the resources by type and address with their construct paths, types and names sorted', () => {
    const bucket = only(model.resources('aws_s3_bucket'));
    expect(bucket).toMatchObject({ type: 'aws_s3_bucket', path: 'test/data/this', body: { bucket: 'shop-data' } });
    expect(bucket.address).toMatch(/^aws_s3_bucket\.data_this_[0-9A-F]{8}$/);
    expect(bucket.body['//']).toBeUndefined();
    expect(model.resource(bucket.address)).toBe(bucket);
    expect(model.types).toEqual([...model.types].sort());
    expect(model.resources().length).toBe(Object.values<Record<string, unknown>>(document.resource).reduce((n, byName) => n + Object.keys(byName).length, 0));
    expect(model.resourcesAt('test/web').map((r) => r.type)).toEqual(expect.arrayContaining(['aws_ecs_service', 'aws_ecs_task_definition', 'aws_iam_role', 'aws_security_group']));
  });

  it('holds data sources, variables, outputs and providers', () => {
    expect(model.dataSources.map((d) => d.address)).toEqual(['data.aws_caller_identity.me']);
    expect(model.variables).toEqual([expect.objectContaining({ type: 'variable', name: 'api_key', address: 'var.api_key', path: 'test/var.api_key' })]);
    expect(model.outputs).toEqual([expect.objectContaining({ name: 'bucket_arn', description: 'the bucket', value: expect.stringMatching(/^\$\{aws_s3_bucket\.data_this_\w+\.arn\}$/) })]);
    expect(model.providers.map((p) => [p.type, p.alias, p.region])).toEqual([
      ['aws', undefined, 'eu-west-1'],
      ['aws', 'us_east_1', 'us-east-1'],
    ]);
    expect(model).toMatchObject({ name: 'test', region: 'eu-west-1', environment: 'test', production: false });
  });

  it('indexes references in any field, inside jsonencode documents too', () => {
    const bucket = only(model.resources('aws_s3_bucket'));
    const policy = only(model.referrers('aws_s3_bucket_policy', 'bucket', bucket));
    // The bucket policy's document names the bucket inside ${jsonencode(...)}: a reference of its `policy` field.
    expect(model.referencesFrom(policy.address).filter((r) => r.to === bucket.address).map((r) => [r.field, r.attribute])).toEqual(
      expect.arrayContaining([
        ['bucket', 'id'],
        ['policy', 'arn'],
      ]),
    );
    const service = only(model.resources('aws_ecs_service'));
    const taskDefinition = only(model.resources('aws_ecs_task_definition'));
    expect(model.ref(service.body.task_definition, 'aws_ecs_task_definition')).toBe(taskDefinition);
    expect(model.referencesTo(taskDefinition.address).map((r) => `${r.from}|${r.field}`)).toContain(`${service.address}|task_definition`);
    expect(model.attached('aws_s3_bucket_policy', 'bucket', bucket)).toEqual([policy]);
    expect(model.document(policy, 'policy').Statement.length).toBeGreaterThan(0);
  });

  it('reads the relations the constructs recorded: grants (once each), routes and notifications', () => {
    expect(model.relations.map(describeRelation)).toEqual(
      expect.arrayContaining([
        'grant test/web -> test/data/this (list, read)',
        'grant test/web -> test/data/this (write)',
        'grant test/web -> test/orders/this (write)',
        'route test/alb/http -> test/alb/shop-web/this',
        'route test/alb/shop-web/this -> test/web/this',
        'notify test/data/this -> test/jobs/this',
      ]),
    );
    expect(model.relationsOf('grant').filter((r) => r.to.path === 'test/data/this' && r.access.includes('read'))).toHaveLength(1);
    // A notification recorded with the queue's ARN stands for the queue resource it names.
    const notify = only(model.relationsOf('notify'));
    expect(notify.to.resources.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_sqs_queue\.jobs_this_/)]);
    // A grantee is the construct given: the service, with every resource below it.
    const read = model.relationsOf('grant').find((r) => r.access.includes('read'))!;
    expect(read.from.resources.map((r) => r.type)).toContain('aws_ecs_service');
  });

  it('keeps the relations out of the synthesized document', () => {
    expect(JSON.stringify(document)).not.toMatch(/relations:|"grant"|"notify"/);
    expect(text).not.toMatch(/relations:/);
    // A document alone has no relations, and no construct paths once Testing.synth removed the `//` metadata.
    const plain = StackModel.fromDocument(JSON.parse(text));
    expect(plain.relations).toEqual([]);
    expect(only(plain.resources('aws_s3_bucket')).path).toBe(only(plain.resources('aws_s3_bucket')).address);
    expect(plain.resources().map((r) => r.address)).toEqual(model.resources().map((r) => r.address));
  });

  it('drops the routes of a listener whose default action a later call replaced', () => {
    const { model: guarded } = shop(({ stack, alb }) => alb.requireHeader('X-Origin-Verify', new TerraformVariable(stack, 'secret', { type: 'string', sensitive: true }).stringValue));
    const routes = guarded.relationsOf('route').map(describeRelation);
    expect(routes).not.toContain('route test/alb/http -> test/alb/shop-web/this');
    expect(routes).toContain('route test/alb/default-with-header -> test/alb/shop-web/this');
  });
});
