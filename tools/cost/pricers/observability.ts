/** Observability: CloudWatch alarms, composite alarms, dashboards, log metric filters, and Container Insights of ECS clusters. */
import { blocks, num } from '../../model';
import { Pricer, nameOf } from '../context';
import { taskCounts } from './ecs';

/** Metric alarms: one alarm metric per metric read (three for an anomaly detection band), high resolution below 60 s. */
export const metricAlarms: Pricer = {
  types: ['aws_cloudwatch_metric_alarm'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const queries = blocks(r.body.metric_query);
    const metrics = queries.length ? queries.filter((q) => q.metric !== undefined).map((q) => blocks(q.metric)[0]) : [r.body];
    const anomaly = queries.some((q) => typeof q.expression === 'string' && q.expression.includes('ANOMALY_DETECTION_BAND'));
    const count = Math.max(1, metrics.length) * (anomaly ? 3 : 1);
    const highRes = metrics.some((m) => (num(m?.period) ?? 60) < 60);
    ctx.aggregate(highRes ? 'CloudWatch alarms (high resolution)' : 'CloudWatch alarms', 'alarm metric-month', highRes ? pr.cloudwatch.highResolutionAlarmMetricMonth.usd : pr.cloudwatch.alarmMetricMonth.usd, count, count, r.address, {
      note: 'a metric-math alarm bills each metric it reads',
      freeTier: highRes ? undefined : 10,
    });
  },
};

/** Composite alarms. */
export const compositeAlarms: Pricer = {
  types: ['aws_cloudwatch_composite_alarm'],
  price(r, ctx) {
    ctx.aggregate('CloudWatch composite alarms', 'alarm-month', ctx.pricesFor(r).cloudwatch.compositeAlarmMonth.usd, 1, 1, r.address);
  },
};

/** Dashboards. */
export const dashboards: Pricer = {
  types: ['aws_cloudwatch_dashboard'],
  price(r, ctx) {
    ctx.aggregate('CloudWatch dashboards', 'dashboard-month', ctx.pricesFor(r).cloudwatch.dashboardMonth.usd, 1, 1, r.address, { note: 'the account free tier (3 dashboards) is not subtracted unless applyFreeTier', freeTier: 3 });
  },
};

/** Log metric filters: one custom metric each. */
export const logMetricFilters: Pricer = {
  types: ['aws_cloudwatch_log_metric_filter'],
  price(r, ctx) {
    ctx.aggregate('CloudWatch custom metrics (log metric filters)', 'metric-month', ctx.pricesFor(r).cloudwatch.customMetricMonth.usd, 1, 1, r.address, { note: 'one metric per filter (more with dimensions)', freeTier: 10 });
  },
};

/** ECS clusters: free, but Container Insights bills custom metrics and performance logs while tasks run. */
export const containerInsights: Pricer = {
  types: ['aws_ecs_cluster'],
  price(r, ctx) {
    const insights = blocks(r.body.setting).find((s) => s.name === 'containerInsights')?.value;
    if (insights !== 'enabled' && insights !== 'enhanced') return;
    const pr = ctx.pricesFor(r);
    const A = ctx.assumptions;
    const counts = ctx.model.referrers('aws_ecs_service', 'cluster', r).map((s) => taskCounts(ctx.model, s));
    const running = (k: 'floor' | 'ceiling') => counts.filter((c) => c[k] > 0).length;
    const tasks = (k: 'floor' | 'ceiling') => counts.reduce((n, c) => n + c[k], 0);
    const metrics = (k: 'floor' | 'ceiling') => (tasks(k) > 0 ? A.containerInsightsMetricsPerCluster : 0) + running(k) * A.containerInsightsMetricsPerService;
    const name = nameOf(r);
    const note = `metrics only while tasks run${insights === 'enhanced' ? '; enhanced observability bills per observation and is estimated at the standard figures' : ''}`;
    ctx.line({ item: `Container Insights metrics (${name})`, quantity: { floor: metrics('floor'), ceiling: metrics('ceiling') }, unit: 'metric-month', unitPrice: pr.cloudwatch.customMetricMonth.usd, resources: [r.address], note, assumptions: ['containerInsightsMetricsPerCluster', 'containerInsightsMetricsPerService'] });
    ctx.line({ item: `Container Insights performance logs (${name})`, quantity: { floor: tasks('floor') * A.containerInsightsLogGbPerTask, ceiling: tasks('ceiling') * A.containerInsightsLogGbPerTask }, unit: 'GB ingested', unitPrice: pr.cloudwatch.logIngestGb.usd, resources: [r.address], assumptions: ['containerInsightsLogGbPerTask'] });
  },
};
