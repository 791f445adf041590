/**
 * Observability nodes (dashboards, the number of alarms and the topic they notify), and the edges
 * between the parts of the picture:
 * - from the relations the constructs recorded: compute -> what it may read, write, send,
 *   consume, publish, submit to, invoke or mount (grants); a bucket -> the queue it notifies;
 * - from the resources' arguments: service -> service (a security group rule letting one reach
 *   the other; three or more that all reach each other as one mesh node, not every pair), topic ->
 *   subscriber, alarms -> topic.
 */
import type { Access } from '../model';
import { DiagramBuilder, byKey, literal, plural } from './builder';
import { wrap } from './nodes';

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

/** Security group rules between compute nodes: who calls whom, on which port. */
function calls(b: DiagramBuilder): Map<string, Map<string, string | undefined>> {
  const { model } = b;
  const out = new Map<string, Map<string, string | undefined>>();
  for (const rule of [...model.resources('aws_vpc_security_group_ingress_rule'), ...model.resources('aws_security_group_rule').filter((r) => r.body.type === 'ingress')]) {
    const to = model.ref(rule.body.security_group_id, 'aws_security_group');
    const from = model.ref([rule.body.referenced_security_group_id, rule.body.source_security_group_id], 'aws_security_group');
    const a = from && b.securityGroupOwner.get(from.address);
    const z = to && b.securityGroupOwner.get(to.address);
    if (!a || !z || a === z) continue;
    const port = rule.body.from_port === rule.body.to_port && rule.body.from_port !== undefined ? `:${rule.body.from_port}` : undefined;
    out.set(a, (out.get(a) ?? new Map<string, string | undefined>()).set(z, port));
  }
  return out;
}

/** The largest set (of 3 or more, first by id) in which every node calls every other, or none. */
function fullMesh(called: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[] {
  const mutual = (x: string, y: string) => !!called.get(x)?.has(y) && !!called.get(y)?.has(x);
  const ids = [...called.keys()].sort(byKey);
  let best: string[] = [];
  for (const start of ids) {
    const members = [start];
    for (const id of ids) if (!members.includes(id) && members.every((m) => mutual(m, id))) members.push(id);
    if (members.length > best.length) best = members;
  }
  return best.length >= 3 ? best.sort(byKey) : [];
}

/**
 * Calls between compute nodes: an edge per caller and callee labelled with the port, except within
 * a full mesh (three or more that all call each other: Service Connect agents), drawn as one node
 * every member is joined to, which names the ports (n members would need n(n-1) edges).
 */
function addCalls(b: DiagramBuilder): void {
  const called = calls(b);
  const mesh = fullMesh(called);
  for (const [from, targets] of called) for (const [to, port] of targets) if (!(mesh.includes(from) && mesh.includes(to))) b.addEdge(from, to, 'traffic', port);
  if (mesh.length === 0) return;
  const ports = [...new Set(mesh.flatMap((m) => [...called.get(m)!].filter(([to]) => mesh.includes(to)).map(([, port]) => port).filter((p): p is string => !!p)))].sort(byKey);
  const members = mesh.map((id) => b.nodes.get(id)!);
  const sub = members.every((n) => n.sub === members[0].sub) ? members[0].sub : undefined;
  const id = b.addNode({ id: 'mesh', group: 'compute', sub, kind: sub && b.serviceConnect.has(sub) ? 'Service Connect' : 'Calls', title: `${members.length} services call each other`, lines: ports.length ? wrap(ports, 'ports ', 3) : [] });
  for (const m of mesh) b.addEdge(m, id, 'mesh');
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
