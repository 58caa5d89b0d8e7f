export * from './access';
export * from './audit';
export * from './errors';
export * from './orgs';
export * from './users';
