/** Storage: S3 buckets (`SecureBucket`, `AccessLogBucket`) and EFS file systems (`SharedFileSystem`). */
export * from './bucket';
export * from './access-logs';
export * from './efs';
