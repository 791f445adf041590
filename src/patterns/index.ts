/**
 * Patterns: the compositions a system is made of, built from the library's constructs. Each is a
 * recipe that builds into the stack it is given (see `EcsPlatform` for why), so a stack moved onto
 * a pattern keeps every resource address it had.
 */
export * from './image-release';
export * from './ecs-platform';
export * from './container-service';
export * from './public-endpoint';
export * from './queue-worker';
