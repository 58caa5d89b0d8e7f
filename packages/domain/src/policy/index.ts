export * from './describe';
export * from './evaluate';
