/**
 * ECS services and their task definitions, in three parts: `task-definition.ts` (containers,
 * volumes, sizes, sidecar presets, health checks), `roles.ts` (execution and task roles, secret
 * grants) and `service.ts` (the service: network, load balancer, discovery, scaling, metrics).
 */
export * from './task-definition';
export * from './roles';
export * from './service';
