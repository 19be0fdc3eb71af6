export * from './providers';
export * from './textEdits';
export * from './insertClaimsProvider';
