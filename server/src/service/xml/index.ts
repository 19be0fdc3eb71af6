export * from './nodes';
export * from './parser';
export * from './query';
export * from './lines';
