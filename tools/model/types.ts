/** The parts of a synthesized stack the model holds (see ./model.ts). */
import { Body } from './values';

/** A managed resource, a data source (address `data.<type>.<name>`) or an input variable (type `variable`, address `var.<name>`). */
export interface Resource {
  /** Terraform type, e.g. `aws_s3_bucket` (`variable` for an input variable). */
  readonly type: string;
  /** Logical name (the key under the type). */
  readonly name: string;
  /** The Terraform address: `type.name`, `data.type.name` or `var.name`. */
  readonly address: string;
  /** Construct path (`stack/construct/.../this`), from the `//` metadata; the address when there is none. */
  readonly path: string;
  /** The arguments as synthesized (without the `//` metadata). */
  readonly body: Body;
}

/** A provider configuration. */
export interface Provider {
  /** Provider name, e.g. `aws`. */
  readonly type: string;
  /** Its alias; undefined for the default configuration. */
  readonly alias?: string;
  /** Its literal `region`, when it has one. */
  readonly region?: string;
  readonly body: Body;
}

/** A stack output. */
export interface Output {
  readonly name: string;
  readonly value: unknown;
  readonly description?: string;
  readonly sensitive?: boolean;
}

/** A guardrail suppression as written into the document (`//.guardrails.suppressions`). */
export interface SuppressionRecord {
  /** Construct path; covers the construct and everything below it. */
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

/** A production-gate acceptance as written into the document (`//.guardrails.accepted`): the user's reason. */
export interface AcceptanceRecord {
  /** Construct path; covers the construct and everything below it. */
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

/** The setting that closes a production-gate rule's findings (`//.guardrails.closeWith`). */
export interface ClosureRecord {
  /** Construct path; covers the construct and everything below it. */
  readonly path: string;
  readonly rule: string;
  /** Setting path(s), as the user writes them (`stacks.vision-validator.domain`). */
  readonly setting: string;
}

/** A synthesized stack document, as far as the model reads it. */
export interface SynthesizedDocument {
  readonly resource?: Record<string, Record<string, Body>>;
  readonly data?: Record<string, Record<string, Body>>;
  readonly provider?: Record<string, Body | Body[]>;
  readonly variable?: Record<string, Body>;
  readonly output?: Record<string, Body>;
  readonly [key: string]: unknown;
}
