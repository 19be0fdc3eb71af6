export * from './providers';
export * from '../../edits/textEdits';
export * from './insertClaimsProvider';
