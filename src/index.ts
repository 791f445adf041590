/**
 * The construct library's public API: what an engineer imports to build a sixth system from these
 * constructs (`import { EcsPlatform, ContainerService, Vpc } from '<this project>/src'`).
 *
 * The app itself never imports this file: each stack imports the modules it uses by path, so a
 * synth loads only the constructs (and provider classes) it builds. Grouped as the folders are:
 * core (the stack base, validation, naming, suppressions), then one domain per folder, then the
 * patterns a system is composed of.
 */
export * from './core/aws-stack';
export * from './core/backend';
export * from './core/environment';
export * from './core/errors';
export * from './core/iam';
export * from './core/metric';
export * from './core/naming';
export * from './core/relations';
export * from './core/suppressions';
export * from './core/tags';
export * from './core/validation';
export * from './network/vpc';
export * from './network/nat-instance';
export * from './network/security-group';
export * from './edge/alb';
export * from './edge/cdn';
export * from './edge/certificate';
export * from './edge/http-api';
export * from './edge/rest-api';
export * from './edge/waf';
export * from './compute/autoscaling';
export * from './compute/batch';
export * from './compute/ecs-cluster';
export * from './compute/ecs-service';
export * from './compute/instance-types';
export * from './compute/lambda';
export * from './data/access-logs';
export * from './data/backup';
export * from './data/bucket';
export * from './data/cache';
export * from './data/efs';
export * from './data/queue';
export * from './data/registry';
export * from './data/state';
export * from './data/table';
export * from './data/topic';
export * from './security/account';
export * from './security/cicd';
export * from './security/github-oidc';
export * from './security/iam';
export * from './security/kms';
export * from './security/secrets';
export * from './observability/budget';
export * from './observability/logs';
export * from './observability/monitoring';
export * from './patterns';
