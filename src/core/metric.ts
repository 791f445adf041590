/**
 * CloudWatch metrics as values: constructs hand them out through `metricXxx()` methods, and
 * alarms and dashboards (src/observability/monitoring.ts) consume them. Defined here so that every construct can
 * offer metrics without importing the monitoring module.
 */

/** A CloudWatch metric. */
export interface Metric {
  /** CloudWatch namespace, e.g. `AWS/ECS`. */
  readonly namespace: string;
  /** Metric name, e.g. `CPUUtilization`. */
  readonly metricName: string;
  /** Dimension names to values. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Average`, `Sum`, `Maximum`, `SampleCount`, `p99`, ... */
  readonly stat: string;
  /** @default 60 */
  readonly periodSec?: number;
  /** Legend label on dashboards. @default - the metric name */
  readonly label?: string;
}

/**
 * Metric math over named metrics: spread it into `Monitoring.addMathAlarm(id, { ...math, name,
 * threshold, ... })`. Ids are lowercase-first (`errors`, `invocations`).
 */
export interface MetricMath {
  /** The expression, e.g. `IF(FILL(invocations, 0) > 0, 100 * FILL(errors, 0) / invocations, 0)`. */
  readonly expression: string;
  /** The metrics the expression reads, by id. */
  readonly metrics: Readonly<Record<string, Metric>>;
  /** Label of the result. */
  readonly label: string;
}
