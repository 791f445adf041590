/** Serverless: Lambda (requests, duration, provisioned concurrency), API Gateway, SQS, SNS, and the X-Ray traces of traced functions and stages. */
import { Resource, blocks, bool, num } from '../../model';
import { Pricer, PricingContext, fmtNum, nameOf } from '../context';

/** Queues named as the dead-letter queue of a queue's redrive policy. */
function deadLetterQueues(ctx: PricingContext): Set<Resource> {
  const out = new Set<Resource>();
  for (const q of [...ctx.model.resources('aws_sqs_queue'), ...ctx.model.resources('aws_sqs_queue_redrive_policy')]) {
    const raw = q.body.redrive_policy;
    const target = typeof raw === 'string' ? ctx.model.ref(raw, 'aws_sqs_queue') : undefined;
    if (target) out.add(target);
  }
  return out;
}

/** SQS queues: requests (dead-letter queues assumed idle). */
export const sqsQueues: Pricer = {
  types: ['aws_sqs_queue'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const fifo = bool(r.body.fifo_queue) === true;
    const requests = deadLetterQueues(ctx).has(r) ? 0 : ctx.assumptions.sqsRequestsPerQueue / 1e6;
    ctx.aggregate(fifo ? 'SQS requests (FIFO)' : 'SQS requests', '1M requests', (fifo ? pr.sqs.fifoMillionRequests : pr.sqs.standardMillionRequests).usd, requests, requests, r.address, {
      assumptions: ['sqsRequestsPerQueue'],
      note: 'dead-letter queues assumed idle; the account free tier is 1M requests',
      freeTier: fifo ? undefined : 1,
    });
  },
};

/** SNS topics: publishes (deliveries not priced). */
export const snsTopics: Pricer = {
  types: ['aws_sns_topic'],
  price(r, ctx) {
    const q = ctx.assumptions.snsPublishesPerTopic / 1e6;
    ctx.aggregate('SNS publishes', '1M publishes', ctx.pricesFor(r).sns.millionPublishes.usd, q, q, r.address, { assumptions: ['snsPublishesPerTopic'], note: 'deliveries not priced; the account free tier is 1M publishes', freeTier: 1 });
  },
};

/** X-Ray traces of a traced function or stage: its requests times the sampled fraction. */
function xrayTraces(ctx: PricingContext, r: Resource, requests: number): void {
  const q = (requests * ctx.assumptions.xraySampledFraction) / 1e6;
  ctx.aggregate('X-Ray traces recorded', '1M traces', ctx.pricesFor(r).xray.millionTracesRecorded.usd, q, q, r.address, { assumptions: ['xraySampledFraction'], note: 'traced Lambda invocations and API requests, sampled', freeTier: 0.1 });
}

/** A provisioned concurrency configuration's function (of the stack) and literal concurrency, when it has both. */
function provisionedTarget(ctx: PricingContext, r: Resource): { fn: Resource; concurrency: number } | undefined {
  const fn = ctx.model.ref(r.body.function_name, 'aws_lambda_function');
  const concurrency = num(r.body.provisioned_concurrent_executions);
  return fn && concurrency !== undefined ? { fn, concurrency } : undefined;
}

/** Provisioned concurrency configurations: priced with their function (below); reported when they cannot be. */
export const provisionedConcurrency: Pricer = {
  types: ['aws_lambda_provisioned_concurrency_config'],
  price(r, ctx) {
    if (!provisionedTarget(ctx, r)) ctx.skip(r, 'provisioned concurrency of a function outside the stack, or not a literal number');
  },
};

/** The priced provisioned concurrency configuration of `fn` (the last one, if several). */
function provisionedOf(ctx: PricingContext, fn: Resource): { address: string; concurrency: number } | undefined {
  const configs = ctx.model
    .resources('aws_lambda_provisioned_concurrency_config')
    .filter((c) => !ctx.isUnpriced(c.address))
    .map((c) => ({ address: c.address, target: provisionedTarget(ctx, c) }));
  const found = configs.filter((c) => c.target?.fn === fn).pop();
  return found && { address: found.address, concurrency: found.target!.concurrency };
}

/** Lambda functions: requests, duration (on demand or on provisioned concurrency), the always-on provisioned concurrency, X-Ray traces. */
export const lambdaFunctions: Pricer = {
  types: ['aws_lambda_function'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const A = ctx.assumptions;
    const memGb = (num(r.body.memory_size) ?? 128) / 1024;
    const arm = blocks<string>(r.body.architectures).includes('arm64');
    const invocations = A.lambdaInvocationsPerFunction;
    const gbSeconds = memGb * invocations * (A.lambdaAvgDurationMs / 1000);
    const pc = provisionedOf(ctx, r);
    ctx.aggregate('Lambda requests', '1M requests', pr.lambda.millionRequests.usd, invocations / 1e6, invocations / 1e6, r.address, { assumptions: ['lambdaInvocationsPerFunction'], freeTier: 1 });
    if (pc) {
      const provisionedGbs = memGb * pc.concurrency * ctx.hours * 3600;
      ctx.line({
        item: `Lambda ${nameOf(r)}: provisioned concurrency`,
        quantity: { floor: provisionedGbs, ceiling: provisionedGbs },
        unit: `GB-second (${pc.concurrency} × ${fmtNum(memGb)} GB, always on)`,
        unitPrice: pr.lambda.provisionedGbSecond.usd,
        resources: [pc.address, r.address],
        note: arm ? 'arm64: priced at the x86 rate (the table has no arm64 provisioned rate)' : undefined,
        assumptions: ['hoursPerMonth'],
      });
      ctx.aggregate('Lambda duration on provisioned concurrency', 'GB-second', pr.lambda.provisionedDurationGbSecond.usd, gbSeconds, gbSeconds, r.address, { assumptions: ['lambdaInvocationsPerFunction', 'lambdaAvgDurationMs'] });
    } else {
      ctx.aggregate(arm ? 'Lambda duration (arm64)' : 'Lambda duration', 'GB-second', (arm ? pr.lambda.armGbSecond : pr.lambda.gbSecond).usd, gbSeconds, gbSeconds, r.address, { assumptions: ['lambdaInvocationsPerFunction', 'lambdaAvgDurationMs'], freeTier: arm ? undefined : 400_000 });
    }
    if (blocks(r.body.tracing_config)[0]?.mode === 'Active') xrayTraces(ctx, r, invocations);
  },
};

/** API Gateway REST APIs: requests. */
export const restApis: Pricer = {
  types: ['aws_api_gateway_rest_api'],
  price(r, ctx) {
    const q = ctx.assumptions.apiRequestsPerApi / 1e6;
    ctx.aggregate('API Gateway REST requests', '1M requests', ctx.pricesFor(r).apiGateway.restMillionRequests.usd, q, q, r.address, { assumptions: ['apiRequestsPerApi'] });
  },
};

/** REST API stages: X-Ray traces when traced, the stage cache when enabled. */
export const restApiStages: Pricer = {
  types: ['aws_api_gateway_stage'],
  price(r, ctx) {
    if (bool(r.body.xray_tracing_enabled) === true) xrayTraces(ctx, r, ctx.assumptions.apiRequestsPerApi);
    if (bool(r.body.cache_cluster_enabled) !== true) return;
    const size = String(r.body.cache_cluster_size ?? '0.5');
    const hourly = ctx.pricesFor(r).apiGateway.cacheHour[size];
    if (!hourly) {
      ctx.skip(r, `no price for a ${size} GB stage cache`);
      return;
    }
    ctx.line({ item: `API Gateway ${nameOf(r, 'stage_name')}: stage cache`, quantity: { floor: 1, ceiling: 1 }, unit: `cache-month (${size} GB)`, unitPrice: ctx.month(hourly), resources: [r.address], assumptions: ['hoursPerMonth'] });
  },
};

/** API Gateway HTTP APIs: requests (WebSocket APIs are not in the price table). */
export const httpApis: Pricer = {
  types: ['aws_apigatewayv2_api'],
  price(r, ctx) {
    if ((r.body.protocol_type ?? 'HTTP') !== 'HTTP') {
      ctx.skip(r, `${String(r.body.protocol_type)} APIs are not in the price table`);
      return;
    }
    const q = ctx.assumptions.apiRequestsPerApi / 1e6;
    ctx.aggregate('API Gateway HTTP API requests', '1M requests', ctx.pricesFor(r).apiGateway.httpMillionRequests.usd, q, q, r.address, { assumptions: ['apiRequestsPerApi'] });
  },
};
