export * from './access';
export * from './archive-lifecycle';
export * from './audit';
export * from './errors';
export * from './jobs';
export * from './orgs';
export * from './registry-codes';
export * from './users';
