/**
 * Rules for SQS, SNS, Lambda, API Gateway and CloudWatch.
 *
 * Each rule's counterparts were read in the checks' source: checkov (bridgecrewio/checkov at
 * 03d5fdad8d, under checkov/terraform/checks/) and cdk-nag (cdklabs/cdk-nag at ca6d1b54, under
 * src/rules/); the comment above each rule's counterparts names the files.
 */
import type { Rule } from '../engine';
import { Resource, StackModel, block, isExpression, isFalse, isTrue, referenceTarget } from '../../model';
import { deniesInsecureTransport, publicGrants } from '../policy';
import { secretLookingVariables } from './compute';

/**
 * Lambda runtimes past their deprecation date (AWS Lambda runtime deprecation table, 2025), and
 * those checkov's DeprecatedLambdaRuntime.py lists besides (nodejs, nodejs4.3-edge).
 */
const DEPRECATED_RUNTIMES = /^(nodejs(4\.3|4\.3-edge|6\.10|8\.10|10\.x|12\.x|14\.x|16\.x|18\.x)?|python(2\.7|3\.6|3\.7|3\.8|3\.9)|ruby2\.[57]|dotnetcore[123]\.[01]|dotnet(5\.0|6|7)|java8|go1\.x|provided)$/;

/** Service principals (`events.amazonaws.com`, `logs.eu-west-1.amazonaws.com`, `s3.amazonaws.com.cn`). */
const SERVICE_PRINCIPAL = /^[^.]+\.amazonaws\.com|\.amazonaws\.com(\.cn)?$/;

function queuePolicies(stack: StackModel, queue: Resource): Resource[] {
  return stack.attached('aws_sqs_queue_policy', 'queue_url', queue);
}

/** Whether a queue's redrive policy (inline or its own resource) or a function's dead-letter config names `queue`. */
function isDeadLetterQueue(stack: StackModel, queue: Resource): boolean {
  const target = (r: Resource) => stack.document<{ deadLetterTargetArn?: string }>(r, 'redrive_policy')?.deadLetterTargetArn;
  return (
    [...stack.resources('aws_sqs_queue'), ...stack.resources('aws_sqs_queue_redrive_policy')].some((q) => referenceTarget(target(q)) === queue.address) ||
    stack.resources('aws_lambda_function').some((f) => referenceTarget(block(f.body.dead_letter_config)?.target_arn) === queue.address)
  );
}

/** Resources whose `field` is a JSON policy, to check for public grants. */
function publicGrant(field: string): (r: Resource, stack: StackModel) => string[] {
  return (r, stack) => publicGrants(stack.document(r, field));
}

/** Whether a stage writes access logs in a format (cdk-nag asks for both). */
function accessLogProblem(r: Resource): string | undefined {
  const logs = block(r.body.access_log_settings);
  return logs?.destination_arn && logs.format ? undefined : 'writes no access logs (access_log_settings with a destination_arn and a format)';
}

/** Whether throttling settings set both limits. */
function throttles(settings: Record<string, any> | undefined): boolean {
  return settings?.throttling_rate_limit !== undefined && settings?.throttling_burst_limit !== undefined;
}

/** Whether a REST API stage has method settings throttling every method of every resource by default. */
function restStageThrottled(stack: StackModel, stage: Resource): boolean {
  return stack.resources('aws_api_gateway_method_settings').some((m) => {
    const sameStage = referenceTarget(m.body.stage_name) === stage.address || m.body.stage_name === stage.body.stage_name;
    return m.body.rest_api_id === stage.body.rest_api_id && sameStage && m.body.method_path === '*/*' && throttles(block(m.body.settings));
  });
}

/** Methods that create or change something (and so may start work); `$default` and ANY route every method. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'ANY', '$default']);

const OPTIONS_EXEMPT = 'browsers send CORS preflight without credentials';

const ASYNC_ONLY = 'Only functions invoked asynchronously (by S3, SNS or EventBridge), and an on-failure destination counts as well: a synchronous caller such as API Gateway receives the error itself.';

export const SERVERLESS_RULES: readonly Rule[] = [
  {
    id: 'AWS-SQS-001',
    severity: 'error',
    title: 'Queues are encrypted',
    rationale: 'Messages carry job data and object keys; SSE-SQS or a KMS key keeps them encrypted at rest.',
    // checkov resource/aws/SQSQueueEncryption.py; cdk-nag sqs/SQSQueueSSE.ts
    checkov: [{ id: 'CKV_AWS_27', relation: 'equivalent' }],
    cdkNag: [{ id: 'AwsSolutions-SQS2', relation: 'broader', difference: 'cdk-nag fails only sqs_managed_sse_enabled = false, not a queue that leaves its encryption to the default.' }],
    types: ['aws_sqs_queue'],
    check(r) {
      const sse = r.body.sqs_managed_sse_enabled;
      if (r.body.kms_master_key_id || isTrue(sse) || isExpression(sse)) return undefined;
      return isFalse(sse) ? 'is not encrypted (sqs_managed_sse_enabled = false and no kms_master_key_id)' : 'does not declare its encryption (sqs_managed_sse_enabled = true or a kms_master_key_id)';
    },
  },
  {
    id: 'AWS-SQS-002',
    severity: 'warning',
    title: 'Queues have a dead-letter queue',
    rationale: 'A message that always fails is retried until it expires, blocking work and hiding the bug; after a few receives it belongs in a DLQ (unless the queue is one).',
    // cdk-nag sqs/SQSQueueDLQ.ts
    cdkNag: [{ id: 'AwsSolutions-SQS3', relation: 'equivalent' }],
    types: ['aws_sqs_queue'],
    check(r, stack) {
      if (r.body.redrive_policy !== undefined || stack.hasAttached('aws_sqs_queue_redrive_policy', 'queue_url', r) || isDeadLetterQueue(stack, r)) return undefined;
      return 'has no dead-letter queue (redrive_policy) and is no queue\'s or function\'s dead-letter queue';
    },
  },
  {
    id: 'AWS-SQS-003',
    severity: 'warning',
    title: 'Queues refuse requests without TLS',
    rationale: 'A queue policy denying aws:SecureTransport=false keeps messages off plain HTTP.',
    // cdk-nag sqs/SQSQueueSSLRequestsOnly.ts
    cdkNag: [{ id: 'AwsSolutions-SQS4', relation: 'equivalent' }],
    types: ['aws_sqs_queue'],
    check(r, stack) {
      const denies = (doc: unknown) => deniesInsecureTransport(doc, ['*', 'sqs:*']);
      return queuePolicies(stack, r).some((p) => denies(stack.document(p, 'policy'))) || denies(stack.document(r, 'policy')) ? undefined : 'has no queue policy denying sqs:* to requests with aws:SecureTransport false';
    },
  },
  {
    id: 'AWS-SQS-004',
    severity: 'error',
    title: 'Queue policies grant nothing to everyone',
    rationale: 'A queue policy allowing a wildcard principal that no account, organization, network or source condition narrows lets any account send, read or purge messages.',
    // checkov resource/aws/SQSQueuePolicyAnyPrincipal.py (cloudsplaining scan/resource_policy_document.py), resource/aws/SQSOverlyPermissive.py
    checkov: [
      { id: 'CKV_AWS_168', relation: 'broader', difference: 'CKV_AWS_168 lets an aws:userid condition narrow a wildcard principal.' },
      { id: 'CKV_AWS_387', relation: 'broader', difference: 'CKV_AWS_387 passes a wildcard principal under any condition at all, and reads queue policy resources only.' },
    ],
    types: ['aws_sqs_queue_policy', 'aws_sqs_queue'],
    check: publicGrant('policy'),
  },
  {
    id: 'AWS-SNS-001',
    severity: 'error',
    title: 'Topics are encrypted',
    rationale: 'Topic messages (alarms name resources and thresholds; notifications carry job data) are stored until delivered; a KMS key encrypts them.',
    // checkov resource/aws/SNSTopicEncryption.py; cdk-nag sns/SNSEncryptedKMS.ts
    checkov: [{ id: 'CKV_AWS_26', relation: 'equivalent' }],
    cdkNag: [{ id: 'NIST.800.53.R5-SNSEncryptedKMS', relation: 'equivalent' }],
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
    // cdk-nag sns/SNSTopicSSLPublishOnly.ts
    cdkNag: [{ id: 'AwsSolutions-SNS3', relation: 'narrower', difference: 'A Deny of sns:* or "*" counts as well as one of sns:Publish, the only action cdk-nag recognises (which also exempts a topic with a KMS key, where this rule does not).' }],
    types: ['aws_sns_topic'],
    check(r, stack) {
      const denies = (doc: unknown) => deniesInsecureTransport(doc, ['sns:Publish', 'sns:*', '*']);
      const policies = stack.attached('aws_sns_topic_policy', 'arn', r);
      return policies.some((p) => denies(stack.document(p, 'policy'))) || denies(stack.document(r, 'policy')) ? undefined : 'has no topic policy denying sns:Publish to requests with aws:SecureTransport false';
    },
  },
  {
    id: 'AWS-SNS-003',
    severity: 'error',
    title: 'Topic policies grant nothing to everyone',
    rationale: 'A topic policy allowing a wildcard principal that no account, organization, network or source condition narrows lets any account publish or subscribe.',
    // checkov resource/aws/SNSTopicPolicyAnyPrincipal.py (cloudsplaining scan/resource_policy_document.py)
    checkov: [{ id: 'CKV_AWS_169', relation: 'broader', difference: 'CKV_AWS_169 reads topic policy resources only, and lets an aws:userid condition narrow a wildcard principal.' }],
    types: ['aws_sns_topic_policy', 'aws_sns_topic'],
    check: publicGrant('policy'),
  },
  {
    id: 'AWS-SNS-004',
    severity: 'gate',
    title: 'Alarm topics reach someone',
    rationale: 'An alarm or budget notice published to a topic without a subscription reaches nobody: the stack looks watched and is not. Only the user can name who reads it (an e-mail, or an existing topic the on-call tooling subscribes to).',
    noEquivalent: 'Neither checkov nor cdk-nag relates a topic to its subscriptions; both check a topic\'s own encryption and policy.',
    types: ['aws_sns_topic'],
    check(r, stack) {
      const alarms = [...stack.referrers('aws_cloudwatch_metric_alarm', 'alarm_actions', r), ...stack.referrers('aws_cloudwatch_composite_alarm', 'alarm_actions', r)];
      const budgets = stack.referrers('aws_budgets_budget', 'notification', r);
      if (alarms.length + budgets.length === 0) return undefined;
      if (stack.referrers('aws_sns_topic_subscription', 'topic_arn', r).length > 0) return undefined;
      const what = [alarms.length && `${alarms.length} alarm${alarms.length > 1 ? 's' : ''}`, budgets.length && `${budgets.length} budget${budgets.length > 1 ? 's' : ''}`].filter(Boolean).join(' and ');
      return `receives ${what} but has no subscription: they reach nobody`;
    },
  },
  {
    id: 'AWS-LMB-001',
    severity: 'error',
    title: 'No secrets in Lambda environment variables',
    rationale: 'Function environment values are visible to anyone who can read the function configuration and stay in Terraform state; pass a secret\'s ARN and read it at run time.',
    // checkov resource/aws/LambdaEnvironmentCredentials.py (common/util/secrets.py)
    checkov: [{ id: 'CKV_AWS_45', relation: 'broader', difference: 'CKV_AWS_45 looks at values only; this rule also fails a literal value under a secret\'s name (DB_PASSWORD).' }],
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
    // checkov resource/aws/LambdaXrayEnabled.py; cdk-nag lambda/LambdaTracing.ts
    checkov: [{ id: 'CKV_AWS_50', relation: 'broader', difference: 'CKV_AWS_50 accepts mode PassThrough, which traces only requests that arrive traced.' }],
    cdkNag: [{ id: 'Serverless-LambdaTracing', relation: 'equivalent' }],
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
    // checkov resource/aws/DeprecatedLambdaRuntime.py; cdk-nag lambda/LambdaLatestVersion.ts
    checkov: [{ id: 'CKV_AWS_363', relation: 'broader', difference: 'CKV_AWS_363 does not list nodejs18.x or python3.8, both past their deprecation date.' }],
    cdkNag: [{ id: 'AwsSolutions-L1', relation: 'narrower', difference: 'Only deprecated runtimes fail: cdk-nag asks for the newest version of each language, which a function moves to once its dependencies are tested on it.' }],
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
    // checkov resource/aws/LambdaFunctionIsNotPublic.py, resource/aws/LambdaServicePermission.py; cdk-nag lambda/LambdaFunctionPublicAccessProhibited.ts
    checkov: [
      { id: 'CKV_AWS_301', relation: 'broader', difference: 'CKV_AWS_301 fails principal "*" only, not a service without a source.' },
      { id: 'CKV_AWS_364', relation: 'broader', difference: 'CKV_AWS_364 reads regional service principals (logs.eu-west-1.amazonaws.com) as no service, and does not fail principal "*".' },
    ],
    cdkNag: [{ id: 'NIST.800.53.R5-LambdaFunctionPublicAccessProhibited', relation: 'broader', difference: 'cdk-nag passes principal "*" with a source ARN, account or organization.' }],
    types: ['aws_lambda_permission'],
    check(r) {
      const principal = r.body.principal;
      if (principal === '*') return 'lets anyone invoke the function (principal "*")';
      if (typeof principal === 'string' && SERVICE_PRINCIPAL.test(principal) && !r.body.source_arn && !r.body.source_account) return `lets ${principal} invoke the function for any account (no source_arn or source_account)`;
      return undefined;
    },
  },
  {
    id: 'AWS-LMB-005',
    severity: 'warning',
    title: 'Functions log to a group with retention',
    rationale: 'Lambda creates /aws/lambda/<name> itself when none exists, with no retention: logs kept (and billed) forever, outside Terraform.',
    noEquivalent: 'checkov and cdk-nag check the retention of log groups that exist (AWS-LOG-001), not that a function has one before Lambda creates its own without a retention',
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
    // checkov resource/aws/LambdaFunctionURLAuth.py
    checkov: [{ id: 'CKV_AWS_258', relation: 'equivalent' }],
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
    // checkov resource/aws/LambdaDLQConfigured.py; cdk-nag lambda/LambdaDLQ.ts
    checkov: [{ id: 'CKV_AWS_116', relation: 'narrower', difference: ASYNC_ONLY }],
    cdkNag: [{ id: 'Serverless-LambdaDLQ', relation: 'narrower', difference: ASYNC_ONLY }],
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
    id: 'AWS-LMB-008',
    severity: 'error',
    title: 'Function environments are encrypted with a customer managed key',
    rationale: 'Environment variables (table, bucket and secret names, feature flags) are stored with the function; the stack\'s key puts reading them under the key policy.',
    // checkov resource/aws/LambdaEnvironmentEncryptionSettings.py
    checkov: [{ id: 'CKV_AWS_173', relation: 'equivalent' }],
    types: ['aws_lambda_function'],
    check(r) {
      const vars = block(r.body.environment)?.variables;
      if (!vars || (typeof vars === 'object' && Object.keys(vars).length === 0)) return undefined;
      return r.body.kms_key_arn ? undefined : 'has environment variables encrypted with Lambda\'s AWS managed key (no kms_key_arn)';
    },
  },
  {
    id: 'AWS-API-001',
    severity: 'error',
    title: 'REST API stages write access logs',
    rationale: 'Access logs are the record of who called which route, from where, with what result.',
    // checkov resource/aws/APIGatewayAccessLogging.py; cdk-nag apigw/APIGWAccessLogging.ts
    checkov: [{ id: 'CKV_AWS_76', relation: 'narrower', difference: 'REST API stages only: AWS-API-002 applies the same check to HTTP API stages.' }],
    cdkNag: [{ id: 'AwsSolutions-APIG1', relation: 'narrower', difference: 'REST API stages only, as for CKV_AWS_76.' }],
    types: ['aws_api_gateway_stage'],
    check: accessLogProblem,
  },
  {
    id: 'AWS-API-002',
    severity: 'error',
    title: 'HTTP API stages write access logs',
    rationale: 'Access logs are the record of who called which route, from where, with what result.',
    // checkov resource/aws/APIGatewayAccessLogging.py; cdk-nag apigw/APIGWAccessLogging.ts
    checkov: [{ id: 'CKV_AWS_76', relation: 'narrower', difference: 'HTTP API stages only: AWS-API-001 applies the same check to REST API stages.' }],
    cdkNag: [{ id: 'AwsSolutions-APIG1', relation: 'narrower', difference: 'HTTP API stages only, as for CKV_AWS_76.' }],
    types: ['aws_apigatewayv2_stage'],
    check: accessLogProblem,
  },
  {
    id: 'AWS-API-003',
    severity: 'error',
    title: 'REST API methods are authorized, or public on purpose',
    rationale: 'A method without authorization or an API key can be called by anyone who finds the URL; a public API says so with a suppression and its reason. CORS preflight (OPTIONS) is exempt.',
    // checkov resource/aws/APIGatewayAuthorization.py (its resource/aws/APIGatewayMethodWOAuth.py, CKV2_AWS_70, looks at OPTIONS methods only, against the API's resource policy: no counterpart); cdk-nag apigw/APIGWAuthorization.ts
    checkov: [{ id: 'CKV_AWS_59', relation: 'equivalent' }],
    cdkNag: [{ id: 'AwsSolutions-APIG4', relation: 'narrower', difference: `An API key counts as authorization, and OPTIONS methods pass (${OPTIONS_EXEMPT}), where cdk-nag asks every method for an authorizer and exempts an OPTIONS method only when all its responses are 204 with CORS headers.` }],
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
    // checkov resource/aws/APIGatewayV2RouteDefinesAuthorizationType.py; cdk-nag apigw/APIGWAuthorization.ts
    checkov: [{ id: 'CKV_AWS_309', relation: 'narrower', difference: `OPTIONS routes pass: ${OPTIONS_EXEMPT}.` }],
    cdkNag: [{ id: 'AwsSolutions-APIG4', relation: 'narrower', difference: `OPTIONS routes pass: ${OPTIONS_EXEMPT}.` }],
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
    // checkov resource/aws/APIGatewayXray.py; cdk-nag apigw/APIGWXrayEnabled.ts
    checkov: [{ id: 'CKV_AWS_73', relation: 'equivalent' }],
    cdkNag: [{ id: 'Serverless-APIGWXrayEnabled', relation: 'equivalent' }],
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
    // checkov resource/aws/APIGatewayMethodSettingsDataTrace.py
    checkov: [{ id: 'CKV_AWS_276', relation: 'equivalent' }],
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
    // cdk-nag apigw/APIGWDefaultThrottling.ts
    cdkNag: [{ id: 'Serverless-APIGWDefaultThrottling', relation: 'equivalent' }],
    types: ['aws_api_gateway_stage', 'aws_apigatewayv2_stage'],
    check(r, stack) {
      if (r.type === 'aws_apigatewayv2_stage') {
        return throttles(block(r.body.default_route_settings)) ? undefined : 'has no default throttling (default_route_settings with throttling_rate_limit and throttling_burst_limit)';
      }
      return restStageThrottled(stack, r) ? undefined : 'has no default throttling (aws_api_gateway_method_settings for method_path "*/*" with throttling_rate_limit and throttling_burst_limit)';
    },
  },
  {
    id: 'AWS-API-008',
    severity: 'gate',
    title: 'Open routes into paid work have a cost cap',
    rationale: 'A route anyone may call that starts work billed by the hour (a GPU job on AWS Batch) lets a stranger or a looping client spend without limit; an API key, or a budget action that stops the work at a spend limit, bounds it.',
    noEquivalent: 'Neither checkov nor cdk-nag relates an API route to the compute it starts or to budget actions.',
    types: ['aws_api_gateway_method', 'aws_apigatewayv2_route'],
    check(r, stack) {
      if (stack.resources('aws_batch_compute_environment').length === 0) return undefined;
      const capped = stack.resources('aws_budgets_budget_action').some((a) => a.body.action_type === 'APPLY_IAM_POLICY');
      if (capped) return undefined;
      const method = r.type === 'aws_api_gateway_method' ? String(r.body.http_method ?? '') : String(r.body.route_key ?? '').split(' ')[0];
      if (!WRITE_METHODS.has(method)) return undefined;
      const open = r.type === 'aws_api_gateway_method' ? (r.body.authorization ?? 'NONE') === 'NONE' && r.body.api_key_required !== true : (r.body.authorization_type ?? 'NONE') === 'NONE';
      return open ? `${method} is open to anyone in a stack that runs paid jobs on AWS Batch, and no budget action caps their cost` : undefined;
    },
  },
  {
    id: 'AWS-LOG-001',
    severity: 'error',
    title: 'Log groups have a retention',
    rationale: 'Without retention CloudWatch keeps (and bills) every log line forever.',
    // checkov resource/aws/CloudWatchLogGroupRetention.py; cdk-nag cloudwatch/CloudWatchLogGroupRetentionPeriod.ts (in the NIST 800-53 R5 and Serverless packs)
    checkov: [{ id: 'CKV_AWS_66', relation: 'broader', difference: 'CKV_AWS_66 accepts retention_in_days = 0, which keeps logs forever.' }],
    cdkNag: [
      { id: 'NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod', relation: 'broader', difference: 'Retention 0 (forever) fails here too.' },
      { id: 'Serverless-CloudWatchLogGroupRetentionPeriod', relation: 'broader', difference: 'Retention 0 (forever) fails here too.' },
    ],
    types: ['aws_cloudwatch_log_group'],
    check(r) {
      const days = r.body.retention_in_days;
      return days === undefined || days === 0 ? 'keeps logs forever (no retention_in_days)' : undefined;
    },
  },
  {
    id: 'AWS-LOG-002',
    severity: 'error',
    title: 'Log groups are encrypted with a customer managed key',
    rationale: 'Logs hold request paths, errors and identifiers; with the stack\'s key, reading them needs that key too, and disabling or deleting the key shuts every copy at once.',
    // checkov resource/aws/CloudWatchLogGroupKMSKey.py; cdk-nag cloudwatch/CloudWatchLogGroupEncrypted.ts
    checkov: [{ id: 'CKV_AWS_158', relation: 'equivalent' }],
    cdkNag: [{ id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', relation: 'equivalent' }],
    types: ['aws_cloudwatch_log_group'],
    check(r) {
      return r.body.kms_key_id ? undefined : 'is encrypted with CloudWatch Logs\' own key only (no kms_key_id)';
    },
  },
  {
    id: 'AWS-CW-001',
    severity: 'warning',
    title: 'Alarms notify someone or do something',
    rationale: 'An alarm without actions changes state in the console only: nobody learns of the outage it saw.',
    // cdk-nag cloudwatch/CloudWatchAlarmAction.ts
    cdkNag: [{ id: 'NIST.800.53.R5-CloudWatchAlarmAction', relation: 'equivalent' }],
    types: ['aws_cloudwatch_metric_alarm'],
    check(r) {
      if (r.body.actions_enabled === false) return 'has its actions disabled';
      const actions = [...(r.body.alarm_actions ?? []), ...(r.body.ok_actions ?? []), ...(r.body.insufficient_data_actions ?? [])];
      return actions.length ? undefined : 'has no alarm, OK or insufficient-data action';
    },
  },
];


