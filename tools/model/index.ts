/**
 * The model of a synthesized stack (see ./model.ts): what guardrails, cost and diagrams read.
 *
 * ```ts
 * const { document } = synthesizeInMemory(stack);
 * const model = StackModel.fromStack(stack, document); // with the relations the constructs recorded
 * model.resources('aws_s3_bucket'); model.referrers('aws_s3_bucket_policy', 'bucket', bucket);
 * model.relationsOf('grant'); // who may read, write, send, consume, ... what
 * ```
 */
export { StackModel } from './model';
export type { AcceptanceRecord, ClosureRecord, Output, Provider, Resource, SuppressionRecord, SynthesizedDocument } from './types';
export type { Reference } from './references';
export { referenceTarget } from './references';
export type { Access, Endpoint, Relation, RelationKind } from './relations';
export type { Body } from './values';
export { block, blocks, bool, isExpression, isFalse, isTrue, literalString, num } from './values';
