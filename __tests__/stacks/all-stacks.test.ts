/**
 * What must hold for every stack, present and future: the rules of apply-safety (DESIGN.md) that
 * no single construct test can promise for a whole system, and the toolkit's promises about each
 * (`npm run cost` prices all of it; tools/diagrams/pictures.test.ts keeps `docs/<stack>.svg` current). Each stack is synthesized once,
 * with its defaults and plan-time look-ups pinned, as `npm run plan`, `cost` and `diagrams` do.
 */
import * as os from 'os';
import { Testing, TerraformStack } from 'cdktf';
import { STACK_NAMES } from '../../stacks';
import { FREE_RESOURCE_TYPES, PRICED_RESOURCE_TYPES, estimate } from '../../tools/cost/estimate';
import { PRICES } from '../../tools/cost/prices';
import { Synthesized, buildStack, resourcesOf, synth } from '../helpers/synth';
import type { AwsStack } from '../../src/core/aws-stack';
import { check, unusedSuppressions } from '../../tools/guardrails';

/** Types whose replacement loses data or access: their logical ids are a contract. */
const STATEFUL = ['aws_s3_bucket', 'aws_dynamodb_table', 'aws_efs_file_system', 'aws_ecr_repository', 'aws_kms_key', 'aws_secretsmanager_secret', 'aws_sqs_queue', 'aws_cloudwatch_log_group', 'aws_backup_vault', 'aws_elasticache_replication_group'];

/**
 * The logical ids of every stateful resource, per stack. A refactor that changes one would make
 * Terraform destroy and re-create the resource: keep the id, or add a `moved` block
 * (`resource.moveFromId(old)`) and update this list in the same change.
 */
/** The stack key of the ECS stacks, which took over 0.5's alarm key (`moved` from LEGACY_ALARM_KEY). */
const STACK_KEY = 'aws_kms_key.key_F64E54E4';
const LEGACY_ALARM_KEY = 'aws_kms_key.monitoring_alarms-key_9183C15A';
const ARTWORK_STATEFUL = [
  'aws_cloudwatch_log_group.logs_this_32B8EE7B',
  'aws_ecr_repository.ecr-embeddings_this_707BA804',
  'aws_ecr_repository.ecr-gateway_this_86272AA4',
  'aws_ecr_repository.ecr-geometric_this_3F0FE85A',
  'aws_ecr_repository.ecr-search_this_C6BC98D7',
  'aws_efs_file_system.search-index_this_DE9F18E6',
  STACK_KEY,
  'aws_s3_bucket.data_this_9506F1DE',
  'aws_cloudwatch_log_group.vpc_flow-logs_this_33638DE8',
].sort();
const FLOW_LOGS = 'aws_cloudwatch_log_group.vpc_flow-logs_this_33638DE8';
const ACCESS_LOGS = 'aws_s3_bucket.access-logs_bucket_this_0E39702F';
const PINNED: Record<string, string[]> = {
  'state-bootstrap': ['aws_dynamodb_table.state_lock-table_this_2374F7AE', 'aws_s3_bucket.state_bucket_this_6EF0E3A7'],
  'artwork-matcher-demo': ARTWORK_STATEFUL,
  'artwork-matcher-staging': ARTWORK_STATEFUL,
  'artwork-matcher-production': [...ARTWORK_STATEFUL, ACCESS_LOGS, 'aws_backup_vault.backup_vault_A3268EAD', 'aws_kms_key.backup-key_3D56A38B', 'aws_cloudwatch_log_group.waf_logs_this_58B26BCA'].sort(),
  karmacadabra: [
    'aws_cloudwatch_log_group.logs-abracadabra_this_047F5820',
    'aws_cloudwatch_log_group.logs-karma-hello_this_5F7E5ED9',
    'aws_cloudwatch_log_group.logs-skill-extractor_this_BAA483A6',
    'aws_cloudwatch_log_group.logs-validator_this_1410ECD3',
    'aws_cloudwatch_log_group.logs-voice-extractor_this_0666B57B',
    'aws_ecr_repository.ecr-abracadabra_this_DC0FE215',
    'aws_ecr_repository.ecr-karma-hello_this_550B8F56',
    'aws_ecr_repository.ecr-skill-extractor_this_98CC4F93',
    'aws_ecr_repository.ecr-validator_this_BB65B355',
    'aws_ecr_repository.ecr-voice-extractor_this_94B5464C',
    STACK_KEY,
    'aws_secretsmanager_secret.secret-abracadabra_this_D3993C32',
    'aws_secretsmanager_secret.secret-karma-hello_this_EFAEF272',
    'aws_secretsmanager_secret.secret-skill-extractor_this_31F4CD46',
    'aws_secretsmanager_secret.secret-validator_this_A090DB14',
    'aws_secretsmanager_secret.secret-voice-extractor_this_829B4565',
    FLOW_LOGS,
    ACCESS_LOGS,
  ].sort(),
  'vision-validator': [
    'aws_cloudwatch_log_group.logs_this_32B8EE7B',
    STACK_KEY,
    'aws_secretsmanager_secret.secret-api_this_8019EDA1',
    'aws_secretsmanager_secret.secret-openai_this_435869C5',
    FLOW_LOGS,
    ACCESS_LOGS,
  ].sort(),
  'ai-predictor': [
    'aws_cloudwatch_log_group.api_access-logs_this_FFC2A2D1',
    'aws_cloudwatch_log_group.logs_this_32B8EE7B',
    'aws_ecr_repository.ecr_this_9395141F',
    STACK_KEY,
    'aws_s3_bucket.data_this_9506F1DE',
    'aws_s3_bucket.files_this_651BC32B',
    FLOW_LOGS,
  ].sort(),
  'nutrition-video-analysis': [
    'aws_cloudwatch_log_group.api_access-logs_this_FFC2A2D1',
    'aws_cloudwatch_log_group.ecs-logs_this_5F588FE3',
    'aws_cloudwatch_log_group.gpu_logs_this_386C5A8E',
    'aws_cloudwatch_log_group.nutrition-rag_logs_this_C9B969D8',
    'aws_cloudwatch_log_group.results-handler_logs_this_B7DBA50A',
    'aws_cloudwatch_log_group.status-checker_logs_this_67ACB8E2',
    'aws_cloudwatch_log_group.upload-handler_logs_this_81A44D94',
    'aws_dynamodb_table.jobs_this_C8A9352F',
    'aws_ecr_repository.ecr-gpu-job_this_F0A409C3',
    'aws_ecr_repository.ecr-worker_this_B3CC705E',
    'aws_efs_file_system.model-files_this_410AC6F9',
    'aws_kms_key.key_F64E54E4',
    'aws_s3_bucket.models_this_10A47885',
    'aws_s3_bucket.results_this_ABD7F7F9',
    'aws_s3_bucket.videos_this_7F16E4A5',
    'aws_secretsmanager_secret.gemini-api-key_this_67541FAF',
    'aws_sqs_queue.jobs-queue_dlq_F2F653EC',
    'aws_sqs_queue.jobs-queue_this_EFE278A7',
    FLOW_LOGS,
  ].sort(),
};

/** Types Terraform replaces on changes to their name or description: name_prefix + create_before_destroy. */
const REPLACEABLE = ['aws_security_group', 'aws_lb_target_group', 'aws_launch_template', 'aws_iam_role', 'aws_iam_instance_profile', 'aws_batch_compute_environment'];

const cache = new Map<string, Synthesized>();
/** The same synth's document before `Testing.synth` strips its `//` metadata (construct paths, suppressions). */
const documents = new Map<string, Record<string, any>>();
function stackJson(name: string): Synthesized {
  if (!cache.has(name)) {
    const stack = buildStack<AwsStack>(name, {}, Testing.app({ outdir: 'cdktf.out' }), true);
    const { json, document } = synth(stack);
    cache.set(name, json);
    documents.set(name, document);
  }
  return cache.get(name)!;
}

/** Every string in a document, with its path. */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== '//') strings(v, `${path}.${k}`, out);
  return out;
}

it('writes what cdktf would: AwsStack.toTerraform (one resolve pass) gives TerraformStack.toTerraform\'s document', () => {
  for (const name of ['state-bootstrap', 'karmacadabra']) {
    const stack = buildStack<TerraformStack>(name, {}, Testing.app({ outdir: 'cdktf.out' }), true);
    const ours = JSON.parse(JSON.stringify(stack.toTerraform()));
    delete ours['//'].guardrails; // the guardrail suppressions AwsStack adds to cdktf's document
    expect(ours).toEqual(JSON.parse(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack))));
  }
});

it('pins the stateful resources of every stack', () => {
  expect(Object.keys(PINNED).sort()).toEqual([...STACK_NAMES].sort());
});

describe.each(STACK_NAMES.map((n) => [n]))('%s', (name) => {
  it('asks for the Terraform versions it needs (>= 1.10: S3-native state locking), so an older Terraform stops at init', () => {
    expect(stackJson(name).terraform?.required_version).toBe('>= 1.10');
  });

  it('has every resource type it emits priced or listed as free by npm run cost', () => {
    const json = stackJson(name);
    const e = estimate(json);
    expect(e.region in PRICES).toBe(true);
    expect(e.unpriced).toEqual([]);
    expect(Object.keys(json.resource ?? {}).filter((t) => !PRICED_RESOURCE_TYPES.has(t) && !FREE_RESOURCE_TYPES.has(t))).toEqual([]);
    expect(e.ceiling).toBeGreaterThanOrEqual(e.floor);
  });

  it('breaks no guardrail: each finding is fixed, or suppressed on its construct with a reason', () => {
    stackJson(name);
    const doc = documents.get(name)!;
    const findings = check(doc);
    const relative = (p: string) => (p.startsWith(`${name}/`) ? p.slice(name.length + 1) : p);
    // Production-gate findings (what only the user can give) are open by design: gate.test.ts.
    expect(findings.filter((f) => !f.suppressed && f.severity !== 'gate').map((f) => `${f.rule} ${relative(f.path)}: ${f.message}`)).toEqual([]);
    expect(unusedSuppressions(doc, findings)).toEqual([]);
  });

  it('keeps the logical ids of its stateful resources', () => {
    const json = stackJson(name);
    expect(STATEFUL.flatMap((t) => resourcesOf(json, t).map(([id]) => `${t}.${id}`)).sort()).toEqual(PINNED[name]);
    // The stack key takes 0.5's alarm key over in place, where a stack had one.
    const moved = (json as { moved?: { from: string; to: string }[] }).moved ?? [];
    if (PINNED[name].includes(STACK_KEY) && name !== 'nutrition-video-analysis') expect(moved).toContainEqual({ from: LEGACY_ALARM_KEY, to: STACK_KEY });
  });

  it('lets Terraform replace groups, target groups, launch templates and roles without a name clash', () => {
    const json = stackJson(name);
    for (const type of REPLACEABLE) {
      for (const [id, r] of resourcesOf(json, type)) {
        const prefix = type === 'aws_batch_compute_environment' ? r.compute_environment_name_prefix : r.name_prefix;
        expect({ id, prefix: typeof prefix, cbd: r.lifecycle?.create_before_destroy }).toEqual({ id, prefix: 'string', cbd: true });
        expect(r.name).toBeUndefined();
      }
    }
  });

  it('writes every service\'s capacity provider strategy, deploys strategy changes in place, and waits for what its tasks need', () => {
    const json = stackJson(name);
    for (const [id, svc] of resourcesOf(json, 'aws_ecs_service')) {
      expect({ id, explicit: Boolean(svc.capacity_provider_strategy?.length || svc.launch_type) }).toEqual({ id, explicit: true });
      if (svc.capacity_provider_strategy) expect(svc.force_new_deployment).toBe(true);
      const deps = (svc.depends_on ?? []) as string[];
      expect(deps.some((d) => d.startsWith('aws_ecs_cluster_capacity_providers.'))).toBe(true);
      expect(deps.some((d) => d.startsWith('aws_iam_role_policy_attachment.'))).toBe(true);
      expect(deps.some((d) => d.startsWith('aws_vpc_security_group_egress_rule.'))).toBe(true);
      if (svc.load_balancer) expect(deps.some((d) => /^aws_lb_listener(_rule)?\./.test(d))).toBe(true);
    }
  });

  it('creates the scaling policies and actions of each target one after another', () => {
    const json = stackJson(name);
    const byTarget = new Map<string, Record<string, any>[]>();
    for (const type of ['aws_appautoscaling_policy', 'aws_appautoscaling_scheduled_action']) {
      for (const [, r] of resourcesOf(json, type)) byTarget.set(r.resource_id, [...(byTarget.get(r.resource_id) ?? []), r]);
    }
    for (const members of byTarget.values()) expect(members.filter((m) => !m.depends_on?.length)).toHaveLength(1);
  });

  it('writes JSON documents as Terraform jsonencode (valid in HCL too), and no machine path', () => {
    const json = stackJson(name);
    const bad = strings(json.resource, 'resource').filter(([, v]) => /^\s*[[{]/.test(v) && v.includes('${'));
    expect(bad).toEqual([]);
    // A path below this machine's folders (a container's own "/tmp" mount is not one).
    const text = JSON.stringify(json);
    for (const machine of [process.cwd(), os.tmpdir(), os.homedir()]) expect(text).not.toContain(`${machine}/`);
  });

  it('sends every alarm to a topic, on alarm and on recovery (scaling alarms drive their policies)', () => {
    const json = stackJson(name);
    for (const [id, alarm] of resourcesOf(json, 'aws_cloudwatch_metric_alarm')) {
      const scaling = (alarm.alarm_actions as string[]).every((a) => a.includes('aws_appautoscaling_policy'));
      if (scaling) continue;
      expect({ id, alarm: alarm.alarm_actions, ok: alarm.ok_actions }).toEqual({ id, alarm: [expect.stringMatching(/sns/)], ok: [expect.stringMatching(/sns/)] });
    }
  });
});
