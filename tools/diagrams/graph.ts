/**
 * The picture of a stack, as Graphviz DOT, from its model (`tools/model`: the synthesized
 * Terraform and the relations its constructs recorded).
 *
 * It shows what a reader needs at a glance, not every resource: clients on top, then the edge
 * (CloudFront, WAF, load balancers with their routes and target groups, API Gateway HTTP and REST
 * APIs with their routes, VPC links), compute (ECS services inside their cluster, on-demand task
 * definitions, Lambda functions, Batch compute environments), data (S3, EFS, DynamoDB, SQS queues
 * and their dead-letter queues, SNS topics, secrets, ECR repositories as one node) and at the
 * bottom the network (one node per VPC) and observability (dashboards, the number of alarms, the
 * topic they notify). Plumbing (IAM, security groups and rules, subnets, route tables,
 * associations, policies, single alarms) is folded into the nodes it serves.
 *
 * Edges come from the relations the constructs recorded (route -> target group -> service, API
 * route -> integration -> function or service, compute -> what it may read, write, send, consume,
 * publish, submit to, invoke or mount, bucket -> the queue it notifies) and from the arguments of
 * the resources that state a link themselves (clients -> WAF -> what it protects, CloudFront ->
 * origins, integration -> VPC link, service -> service through a security group rule, queue ->
 * dead-letter queue, topic -> subscriber, alarms -> topic).
 *
 * It works from resource types and relation kinds, so a new stack needs no change here. The
 * output is deterministic: everything is sorted, and nothing depends on time or the machine.
 */
import { StackModel, SynthesizedDocument } from '../model';
import { DiagramBuilder } from './builder';
import { Layout, render } from './dot';
import { addEdgeServices } from './edge';
import { addAccess, addObservability } from './links';
import { addCompute, addData, addNetwork } from './nodes';

/**
 * The stack's picture, as Graphviz DOT, from its model built from the stack (`StackModel.fromStack`:
 * the relations its constructs recorded draw the access and routing edges). A synthesized document
 * alone holds no relation: given one, it throws rather than draw a picture without those edges.
 */
export function graphOf(stack: StackModel | SynthesizedDocument, title: string, layout?: Layout): string {
  if (!(stack instanceof StackModel)) {
    throw new Error(`${title}: a picture needs the relations the constructs record, which a synthesized document does not hold; pass StackModel.fromStack(stack, document) (tools/model)`);
  }
  const b = new DiagramBuilder(stack);
  addNetwork(b);
  addData(b);
  addCompute(b);
  addEdgeServices(b);
  addObservability(b);
  addAccess(b);
  return render(b, title, layout);
}
