export * from './rest-api';
export * from './http-api';
