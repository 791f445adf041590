/** Rules for SQS, SNS, Lambda, API Gateway and CloudWatch. */
import type { Rule } from '../engine';
import { Resource, StackModel, block, isExpression, isFalse, referenceTarget } from '../../model';
import { deniesInsecureTransport, describe, publicAllows } from '../policy';
import { secretLookingVariables } from './compute';

/** Lambda runtimes past their deprecation date (AWS Lambda runtime deprecation table, 2025). */
const DEPRECATED_RUNTIMES = /^(nodejs(4\.3|6\.10|8\.10|10\.x|12\.x|14\.x|16\.x|18\.x)|python(2\.7|3\.6|3\.7|3\.8)|ruby2\.[57]|dotnetcore[123]\.[01]|dotnet(5\.0|6|7)|java8|go1\.x|provided)$/;

function queuePolicies(stack: StackModel, queue: Resource): Resource[] {
  return stack.attached('aws_sqs_queue_policy', 'queue_url', queue);
}

/** Whether some queue's redrive policy names `queue` as its dead-letter queue. */
function isDeadLetterQueue(stack: StackModel, queue: Resource): boolean {
  if (queue.body.redrive_allow_policy !== undefined || stack.hasAttached('aws_sqs_queue_redrive_allow_policy', 'queue_url', queue)) return true;
  return stack.resources('aws_sqs_queue').some((q) => {
    const redrive = stack.document<{ deadLetterTargetArn?: string }>(q, 'redrive_policy');
    return referenceTarget(redrive?.deadLetterTargetArn) === queue.address;
  });
}

/** Resources whose `field` is a JSON policy, to check for public grants. */
function publicGrant(field: string): (r: Resource, stack: StackModel) => string[] {
  return (r, stack) => publicAllows(stack.document(r, field)).map((s) => `allows everyone: statement ${describe(s)} has Principal "*" and no condition`);
}

export const SERVERLESS_RULES: readonly Rule[] = [
  {
    id: 'AWS-SQS-001',
    severity: 'error',
    title: 'Queues are encrypted',
    rationale: 'Messages carry job data and object keys; SSE-SQS or a KMS key keeps them encrypted at rest.',
    checkov: 'CKV_AWS_27',
    cdkNag: 'AwsSolutions-SQS2',
    types: ['aws_sqs_queue'],
    check(r) {
      return isFalse(r.body.sqs_managed_sse_enabled) && !r.body.kms_master_key_id ? 'is not encrypted (sqs_managed_sse_enabled = false and no kms_master_key_id)' : undefined;
    },
  },
  {
    id: 'AWS-SQS-002',
    severity: 'warning',
    title: 'Queues have a dead-letter queue',
    rationale: 'A message that always fails is retried until it expires, blocking work and hiding the bug; after a few receives it belongs in a DLQ (unless the queue is one).',
    cdkNag: 'AwsSolutions-SQS3',
    types: ['aws_sqs_queue'],
    check(r, stack) {
      if (r.body.redrive_policy !== undefined || stack.hasAttached('aws_sqs_queue_redrive_policy', 'queue_url', r) || isDeadLetterQueue(stack, r)) return undefined;
      return 'has no dead-letter queue (redrive_policy) and is no queue\'s dead-letter queue';
    },
  },
  {
    id: 'AWS-SQS-003',
    severity: 'warning',
    title: 'Queues refuse requests without TLS',
    rationale: 'A queue policy denying aws:SecureTransport=false keeps messages off plain HTTP.',
    cdkNag: 'AwsSolutions-SQS4',
    types: ['aws_sqs_queue'],
    check(r, stack) {
      return queuePolicies(stack, r).some((p) => deniesInsecureTransport(stack.document(p, 'policy'))) || deniesInsecureTransport(stack.document(r, 'policy')) ? undefined : 'has no queue policy denying requests with aws:SecureTransport false';
    },
  },
  {
    id: 'AWS-SQS-004',
    severity: 'error',
    title: 'Queue policies grant nothing to everyone',
    rationale: 'A queue policy allowing Principal "*" without a condition lets any account send, read or purge messages.',
    checkov: 'CKV_AWS_168, CKV_AWS_387',
    types: ['aws_sqs_queue_policy', 'aws_sqs_queue'],
    check: publicGrant('policy'),
  },
  {
    id: 'AWS-SNS-001',
    severity: 'error',
    title: 'Topics are encrypted',
    rationale: 'Topic messages (alarms name resources and thresholds; notifications carry job data) are stored until delivered; a KMS key encrypts them.',
    checkov: 'CKV_AWS_26',
    cdkNag: 'NIST.800.53.R5-SNSEncryptedKMS',
    types: ['aws_sns_topic'],
    check(r) {
      return r.body.kms_master_key_id ? undefined : 'is not encrypted (no kms_master_key_id)';
    },
  },
  {
    id: 'AWS-SNS-002',
    severity: 'warning',
    title: 'Topics refuse publishers without TLS',
    rationale: 'A topic policy denying aws:SecureTransport=false keeps publishers on HTTPS.',
    cdkNag: 'AwsSolutions-SNS3',
    types: ['aws_sns_topic'],
    check(r, stack) {
      const policies = stack.attached('aws_sns_topic_policy', 'arn', r);
      return policies.some((p) => deniesInsecureTransport(stack.document(p, 'policy'))) || deniesInsecureTransport(stack.document(r, 'policy')) ? undefined : 'has no topic policy denying requests with aws:SecureTransport false';
    },
  },
  {
    id: 'AWS-SNS-003',
    severity: 'error',
    title: 'Topic policies grant nothing to everyone',
    rationale: 'A topic policy allowing Principal "*" without a condition lets any account publish or subscribe.',
    checkov: 'CKV_AWS_169',
    types: ['aws_sns_topic_policy', 'aws_sns_topic'],
    check: publicGrant('policy'),
  },
  {
    id: 'AWS-LMB-001',
    severity: 'error',
    title: 'No secrets in Lambda environment variables',
    rationale: 'Function environment values are visible to anyone who can read the function configuration and stay in Terraform state; pass a secret\'s ARN and read it at run time.',
    checkov: 'CKV_AWS_45',
    types: ['aws_lambda_function'],
    check(r) {
      const names = secretLookingVariables(block(r.body.environment)?.variables);
      return names.length ? `has secret-looking environment variable(s) ${names.join(', ')}; store them in Secrets Manager and pass the ARN` : undefined;
    },
  },
  {
    id: 'AWS-LMB-002',
    severity: 'warning',
    title: 'Functions trace with X-Ray',
    rationale: 'Active tracing shows where a request spent its time across API Gateway, the function and what it calls.',
    checkov: 'CKV_AWS_50',
    cdkNag: 'Serverless-LambdaTracing',
    types: ['aws_lambda_function'],
    check(r) {
      return block(r.body.tracing_config)?.mode === 'Active' ? undefined : 'does not trace with X-Ray (tracing_config.mode = "Active")';
    },
  },
  {
    id: 'AWS-LMB-003',
    severity: 'error',
    title: 'Functions use a supported runtime',
    rationale: 'A deprecated runtime gets no security patches, and AWS later blocks creating and then updating functions on it.',
    checkov: 'CKV_AWS_363',
    cdkNag: 'AwsSolutions-L1',
    types: ['aws_lambda_function'],
    check(r) {
      const runtime = r.body.runtime;
      return typeof runtime === 'string' && DEPRECATED_RUNTIMES.test(runtime) ? `uses the deprecated runtime "${runtime}"` : undefined;
    },
  },
  {
    id: 'AWS-LMB-004',
    severity: 'error',
    title: 'Invoke permissions name their source',
    rationale: 'A permission for Principal "*", or for a service without a source ARN or account, lets other accounts\' resources (any S3 bucket, any API) invoke the function.',
    checkov: 'CKV_AWS_301, CKV_AWS_364',
    cdkNag: 'NIST.800.53.R5-LambdaFunctionPublicAccessProhibited',
    types: ['aws_lambda_permission'],
    check(r) {
      const principal = r.body.principal;
      if (principal === '*') return 'lets anyone invoke the function (principal "*")';
      if (typeof principal === 'string' && principal.endsWith('.amazonaws.com') && !r.body.source_arn && !r.body.source_account) return `lets ${principal} invoke the function for any account (no source_arn or source_account)`;
      return undefined;
    },
  },
  {
    id: 'AWS-LMB-005',
    severity: 'warning',
    title: 'Functions log to a group with retention',
    rationale: 'Lambda creates /aws/lambda/<name> itself when none exists, with no retention: logs kept (and billed) forever, outside Terraform.',
    cdkNag: 'Serverless-CloudWatchLogGroupRetentionPeriod',
    types: ['aws_lambda_function'],
    check(r, stack) {
      const configured = block(r.body.logging_config)?.log_group;
      const group = configured !== undefined ? stack.resolve(configured) : stack.resources('aws_cloudwatch_log_group').find((g) => g.body.name === `/aws/lambda/${r.body.function_name}`);
      if (configured !== undefined && group === undefined && !isExpression(configured)) return undefined; // an existing group, by name
      return group && group.body.retention_in_days ? undefined : 'has no log group with a retention (a managed /aws/lambda/<name> group or logging_config.log_group)';
    },
  },
  {
    id: 'AWS-LMB-006',
    severity: 'error',
    title: 'Function URLs require authentication',
    rationale: 'A function URL with authorization_type NONE is a public endpoint with no throttling, WAF or access log in front of it.',
    checkov: 'CKV_AWS_258',
    types: ['aws_lambda_function_url'],
    check(r) {
      return r.body.authorization_type === 'NONE' ? 'is public (authorization_type "NONE")' : undefined;
    },
  },
  {
    id: 'AWS-LMB-007',
    severity: 'warning',
    title: 'Asynchronously invoked functions keep failed events',
    rationale: 'S3, SNS and EventBridge invoke asynchronously: after two retries a failed event is dropped unless a dead-letter queue or on-failure destination keeps it.',
    checkov: 'CKV_AWS_116',
    cdkNag: 'Serverless-LambdaDLQ',
    types: ['aws_lambda_function'],
    check(r, stack) {
      const async = stack.attached('aws_lambda_permission', 'function_name', r, ['function_name']).filter((p) => ['s3.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com'].includes(p.body.principal));
      if (async.length === 0) return undefined;
      if (block(r.body.dead_letter_config)?.target_arn) return undefined;
      const configs = stack.attached('aws_lambda_function_event_invoke_config', 'function_name', r, ['function_name']);
      if (configs.some((c) => block(block(c.body.destination_config)?.on_failure)?.destination)) return undefined;
      return `is invoked asynchronously (by ${[...new Set(async.map((p) => p.body.principal))].join(', ')}) without a dead-letter queue or on-failure destination`;
    },
  },
  {
    id: 'AWS-API-001',
    severity: 'error',
    title: 'REST API stages write access logs',
    rationale: 'Access logs are the record of who called which route, from where, with what result.',
    checkov: 'CKV_AWS_76',
    cdkNag: 'AwsSolutions-APIG1',
    types: ['aws_api_gateway_stage'],
    check(r) {
      return block(r.body.access_log_settings)?.destination_arn ? undefined : 'writes no access logs (access_log_settings)';
    },
  },
  {
    id: 'AWS-API-002',
    severity: 'error',
    title: 'HTTP API stages write access logs',
    rationale: 'Access logs are the record of who called which route, from where, with what result.',
    checkov: 'CKV_AWS_76',
    cdkNag: 'AwsSolutions-APIG1',
    types: ['aws_apigatewayv2_stage'],
    check(r) {
      return block(r.body.access_log_settings)?.destination_arn ? undefined : 'writes no access logs (access_log_settings)';
    },
  },
  {
    id: 'AWS-API-003',
    severity: 'error',
    title: 'REST API methods are authorized, or public on purpose',
    rationale: 'A method without authorization or an API key can be called by anyone who finds the URL; a public API says so with a suppression and its reason. CORS preflight (OPTIONS) is exempt.',
    checkov: 'CKV_AWS_59, CKV2_AWS_70',
    cdkNag: 'AwsSolutions-APIG4',
    types: ['aws_api_gateway_method'],
    check(r) {
      if (r.body.http_method === 'OPTIONS') return undefined;
      const open = (r.body.authorization ?? 'NONE') === 'NONE' && r.body.api_key_required !== true;
      return open ? `${r.body.http_method} has no authorization and no API key` : undefined;
    },
  },
  {
    id: 'AWS-API-004',
    severity: 'error',
    title: 'HTTP API routes are authorized, or public on purpose',
    rationale: 'A route without an authorizer can be called by anyone who finds the URL; a public API says so with a suppression and its reason. CORS preflight (OPTIONS) is exempt.',
    checkov: 'CKV_AWS_309',
    cdkNag: 'AwsSolutions-APIG4',
    types: ['aws_apigatewayv2_route'],
    check(r) {
      const key = String(r.body.route_key ?? '');
      if (key.startsWith('OPTIONS ')) return undefined;
      return (r.body.authorization_type ?? 'NONE') === 'NONE' ? `route ${JSON.stringify(key)} has no authorization` : undefined;
    },
  },
  {
    id: 'AWS-API-005',
    severity: 'warning',
    title: 'REST API stages trace with X-Ray',
    rationale: 'Tracing follows a request from API Gateway through the integration, the first place to look when latency grows.',
    checkov: 'CKV_AWS_73',
    cdkNag: 'Serverless-APIGWXrayEnabled',
    types: ['aws_api_gateway_stage'],
    check(r) {
      return r.body.xray_tracing_enabled === true ? undefined : 'does not trace with X-Ray (xray_tracing_enabled)';
    },
  },
  {
    id: 'AWS-API-006',
    severity: 'warning',
    title: 'REST APIs do not log request and response bodies',
    rationale: 'Data trace writes full payloads (tokens, personal data) into CloudWatch Logs.',
    checkov: 'CKV_AWS_276',
    types: ['aws_api_gateway_method_settings'],
    check(r) {
      return block(r.body.settings)?.data_trace_enabled === true ? 'logs full requests and responses (data_trace_enabled)' : undefined;
    },
  },
  {
    id: 'AWS-API-007',
    severity: 'warning',
    title: 'APIs throttle requests',
    rationale: 'Without stage throttling one client can use the whole account\'s API Gateway quota and every backend behind it.',
    cdkNag: 'Serverless-APIGWDefaultThrottling',
    types: ['aws_api_gateway_stage', 'aws_apigatewayv2_stage'],
    check(r, stack) {
      if (r.type === 'aws_apigatewayv2_stage') {
        const d = block(r.body.default_route_settings);
        return d?.throttling_rate_limit !== undefined || d?.throttling_burst_limit !== undefined ? undefined : 'has no throttling (default_route_settings.throttling_*)';
      }
      const throttled = stack.resources('aws_api_gateway_method_settings').some((m) => {
        const s = block(m.body.settings);
        const sameApi = m.body.rest_api_id === r.body.rest_api_id;
        const stageName = m.body.stage_name;
        const sameStage = referenceTarget(stageName) === r.address || stageName === r.body.stage_name;
        return sameApi && sameStage && (s?.throttling_rate_limit !== undefined || s?.throttling_burst_limit !== undefined);
      });
      return throttled ? undefined : 'has no throttling (aws_api_gateway_method_settings with throttling_*)';
    },
  },
  {
    id: 'AWS-LOG-001',
    severity: 'error',
    title: 'Log groups have a retention',
    rationale: 'Without retention CloudWatch keeps (and bills) every log line forever.',
    checkov: 'CKV_AWS_66',
    cdkNag: 'NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod',
    types: ['aws_cloudwatch_log_group'],
    check(r) {
      const days = r.body.retention_in_days;
      return days === undefined || days === 0 ? 'keeps logs forever (no retention_in_days)' : undefined;
    },
  },
  {
    id: 'AWS-CW-001',
    severity: 'warning',
    title: 'Alarms notify someone or do something',
    rationale: 'An alarm without actions changes state in the console only: nobody learns of the outage it saw.',
    cdkNag: 'NIST.800.53.R5-CloudWatchAlarmAction',
    types: ['aws_cloudwatch_metric_alarm'],
    check(r) {
      if (r.body.actions_enabled === false) return 'has its actions disabled';
      const actions = [...(r.body.alarm_actions ?? []), ...(r.body.ok_actions ?? []), ...(r.body.insufficient_data_actions ?? [])];
      return actions.length ? undefined : 'has no alarm, OK or insufficient-data action';
    },
  },
];


