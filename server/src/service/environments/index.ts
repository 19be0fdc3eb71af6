/** Environments and build: appsettings.json, `{Settings:...}` tokens, resolved copies per environment. */
export * from './appSettings';
export * from './environmentFindings';
export * from './files';
export * from './globs';
export * from './policyIds';
export * from './positionMap';
export * from './production';
export * from './resolve';
export * from './settingsCompletion';
export * from './settingsContext';
export * from './settingsDiagnostics';
export * from './settingsHover';
export * from './tokens';
export * from './settingsFiles';
