import * as path from 'path';
import { DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { ConfigurationSection, DEFAULT_CLIENT_SETTINGS, type ClientSettings } from '../protocol';
import { parseSchemaChoice, SchemaCache } from '../schemaFile';
import type { ServerContext } from './context';

/** Reads the client's `b2cPolicy.*` settings, validating each value (a wrong type falls back to the default). */
export function parseClientSettings(config: unknown): ClientSettings {
  const c = (config ?? {}) as Partial<Record<keyof ClientSettings, unknown>>;
  const strings = (v: unknown, fallback: string[]) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : fallback);
  return {
    validateWorkspace: typeof c.validateWorkspace === 'boolean' ? c.validateWorkspace : DEFAULT_CLIENT_SETTINGS.validateWorkspace,
    policyKeys: strings(c.policyKeys, DEFAULT_CLIENT_SETTINGS.policyKeys),
    schema: typeof c.schema === 'string' && c.schema.trim() ? c.schema : DEFAULT_CLIENT_SETTINGS.schema,
    schemaPath: typeof c.schemaPath === 'string' ? c.schemaPath : DEFAULT_CLIENT_SETTINGS.schemaPath,
    templateTokens: strings(c.templateTokens, DEFAULT_CLIENT_SETTINGS.templateTokens),
    codeLens: typeof c.codeLens === 'boolean' ? c.codeLens : DEFAULT_CLIENT_SETTINGS.codeLens,
  };
}

/** The settings the server works with, and the schema they choose. */
export class SettingsStore {
  private current: ClientSettings = { ...DEFAULT_CLIENT_SETTINGS };
  private supportsConfiguration = false;
  private schemas = new SchemaCache();

  constructor(private readonly context: Pick<ServerContext, 'connection' | 'service' | 'log'>, private readonly resolvePath: (p: string) => string) {}

  /** Compiled user schemas are cached on disk below the extension's storage folder (when the client gives one). */
  setStoragePath(storagePath: string | undefined): void {
    this.schemas = new SchemaCache({ cacheDir: storagePath ? path.join(storagePath, 'schema-cache') : undefined, log: this.context.log });
  }

  get value(): ClientSettings {
    return this.current;
  }

  setClientCapability(supportsConfiguration: boolean): void {
    this.supportsConfiguration = supportsConfiguration;
  }

  /** Registers for configuration changes (after `initialized`). */
  register(): void {
    if (this.supportsConfiguration) void this.context.connection.client.register(DidChangeConfigurationNotification.type, { section: ConfigurationSection });
  }

  /** Asks the client for the settings (when it can answer) and configures the service with them. */
  async refresh(): Promise<void> {
    if (this.supportsConfiguration) {
      try {
        this.current = parseClientSettings(await this.context.connection.workspace.getConfiguration(ConfigurationSection));
      } catch (e) {
        this.context.log(`reading settings failed: ${(e as Error).message}`);
      }
    }
    this.apply();
  }

  /**
   * Configures the service with the current settings and the schema they choose: `b2cPolicy.schema`
   * (`current`, `official` or a path), else the deprecated `schemaPath`; the bundled current schema when the
   * chosen one cannot be loaded (the user is told why).
   */
  apply(): void {
    const { service, connection } = this.context;
    const setting = this.current.schema !== DEFAULT_CLIENT_SETTINGS.schema || !this.current.schemaPath ? this.current.schema : this.current.schemaPath;
    const choice = parseSchemaChoice(setting);
    try {
      service.configure(this.current, this.schemas.load(typeof choice === 'string' ? choice : { path: this.resolvePath(choice.path) }));
    } catch (e) {
      void connection.window.showErrorMessage(`B2C Policy Tools: cannot load the schema '${setting}': ${(e as Error).message}. Using the bundled current schema.`);
      service.configure(this.current, this.schemas.load('current'));
    }
  }
}
