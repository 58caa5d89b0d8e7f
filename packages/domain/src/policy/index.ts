export * from './describe';
export * from './evaluate';
export * from './exits';
export * from './simulate';
export * from './urgency';
