/**
 * Observability nodes (dashboards, the number of alarms and the topic they notify), and the edges
 * between the parts of the picture:
 * - from the relations the constructs recorded: compute -> what it may read, write, send,
 *   consume, publish, submit to, invoke or mount (grants); a bucket -> the queue it notifies;
 * - from the resources' arguments: service -> service (a security group rule letting one reach
 *   the other), topic -> subscriber, alarms -> topic.
 */
import type { Access } from '../model';
import { DiagramBuilder, literal, plural } from './builder';

/** Dashboards and the alarms (one node), with the topics the alarms notify. */
export function addObservability(b: DiagramBuilder): void {
  const { model } = b;
  for (const d of model.resources('aws_cloudwatch_dashboard')) {
    const body = model.document(d, 'dashboard_body');
    const widgets = Array.isArray(body?.widgets) ? body.widgets.length : 0;
    const name = b.nameOf(d, 'dashboard_name');
    b.addNode({ id: `dashboard:${name}`, group: 'observability', kind: 'CloudWatch dashboard', title: b.short(name), lines: widgets ? [plural(widgets, 'widget')] : [] }, d.address);
  }
  const alarms = [...model.resources('aws_cloudwatch_metric_alarm'), ...model.resources('aws_cloudwatch_composite_alarm')];
  if (!alarms.length) return;
  const id = b.addNode({ id: 'alarms', group: 'observability', kind: 'CloudWatch alarms', title: plural(alarms.length, 'alarm'), lines: [] }, ...alarms.map((a) => a.address));
  for (const a of alarms) for (const t of model.refsIn([a.body.alarm_actions, a.body.ok_actions, a.body.insufficient_data_actions])) b.addEdge(id, b.alias.get(t.address), 'notify', 'notify');
}

/** What a grant's access is on the picture: read, write, send, ...; keys are not on it. */
const ACCESS_LABELS: Readonly<Record<Access, string | undefined>> = {
  read: 'read',
  list: 'read',
  write: 'write',
  delete: 'write',
  send: 'send',
  consume: 'consume',
  publish: 'publish',
  submit: 'submit',
  invoke: 'invoke',
  mount: 'mount',
  pull: 'read',
  push: 'write',
  encrypt: undefined,
  decrypt: undefined,
};

/** Grants: the compute node acting for the grantee -> the node of the resource, labelled with the access. */
function addGrants(b: DiagramBuilder): void {
  for (const g of b.model.relationsOf('grant')) {
    const from = b.actorAt(g.from);
    const to = b.nodeAt(g.to);
    if (!from || !to || b.nodes.get(from)?.group !== 'compute') continue;
    const labels = g.access.map((a) => ACCESS_LABELS[a]).filter((l): l is string => l !== undefined);
    for (const label of labels.length ? labels : ['access']) b.addEdge(from, to, 'access', label);
  }
}

/** Security group rules between compute nodes: who calls whom. */
function addCalls(b: DiagramBuilder): void {
  const { model } = b;
  for (const rule of [...model.resources('aws_vpc_security_group_ingress_rule'), ...model.resources('aws_security_group_rule').filter((r) => r.body.type === 'ingress')]) {
    const to = model.ref(rule.body.security_group_id, 'aws_security_group');
    const from = model.ref([rule.body.referenced_security_group_id, rule.body.source_security_group_id], 'aws_security_group');
    if (!to || !from) continue;
    const a = b.securityGroupOwner.get(from.address);
    const z = b.securityGroupOwner.get(to.address);
    if (a && z) b.addEdge(a, z, 'traffic', rule.body.from_port === rule.body.to_port && rule.body.from_port !== undefined ? `:${rule.body.from_port}` : undefined);
  }
}

/** Topic subscriptions and the notifications the constructs recorded (a bucket's events to a queue). */
function addTriggers(b: DiagramBuilder): void {
  for (const s of b.model.resources('aws_sns_topic_subscription')) b.addEdge(b.nodeOf(s.body.topic_arn), b.nodeOf(s.body.endpoint), 'trigger', literal(s.body.protocol));
  for (const n of b.model.relationsOf('notify')) b.addEdge(b.nodeAt(n.from), b.nodeAt(n.to), 'trigger', 'notify');
}

/** The edges between compute, data and messaging (see the module comment). */
export function addAccess(b: DiagramBuilder): void {
  addGrants(b);
  addCalls(b);
  addTriggers(b);
}
