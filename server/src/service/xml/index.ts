export * from './nodes';
export * from './parser';
export * from './query';
export * from './lines';
export * from './chars';
export * from './encoding';
