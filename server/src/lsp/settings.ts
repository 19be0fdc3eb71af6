import * as fs from 'fs';
import { DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { ConfigurationSection, DEFAULT_CLIENT_SETTINGS, type ClientSettings } from '../protocol';
import { SchemaCache } from '../schemaFile';
import type { ServerContext } from './context';

/** Reads the client's `b2cPolicy.*` settings, validating each value (a wrong type falls back to the default). */
export function parseClientSettings(config: unknown): ClientSettings {
  const c = (config ?? {}) as Partial<Record<keyof ClientSettings, unknown>>;
  const strings = (v: unknown, fallback: string[]) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : fallback);
  return {
    validateWorkspace: typeof c.validateWorkspace === 'boolean' ? c.validateWorkspace : DEFAULT_CLIENT_SETTINGS.validateWorkspace,
    policyKeys: strings(c.policyKeys, DEFAULT_CLIENT_SETTINGS.policyKeys),
    schemaPath: typeof c.schemaPath === 'string' ? c.schemaPath : DEFAULT_CLIENT_SETTINGS.schemaPath,
    templateTokens: strings(c.templateTokens, DEFAULT_CLIENT_SETTINGS.templateTokens),
    codeLens: typeof c.codeLens === 'boolean' ? c.codeLens : DEFAULT_CLIENT_SETTINGS.codeLens,
  };
}

/** The settings the server works with, and the schema they choose. */
export class SettingsStore {
  private current: ClientSettings = { ...DEFAULT_CLIENT_SETTINGS };
  private supportsConfiguration = false;
  private readonly schemas = new SchemaCache();

  constructor(private readonly context: Pick<ServerContext, 'connection' | 'service' | 'log'>, private readonly resolvePath: (p: string) => string) {}

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

  /** Configures the service with the current settings and the schema they choose (the bundled one on failure). */
  apply(): void {
    const { service, connection } = this.context;
    const schemaPath = this.current.schemaPath ? this.resolvePath(this.current.schemaPath) : undefined;
    try {
      if (schemaPath && !fs.existsSync(schemaPath)) throw new Error('no such file');
      service.configure(this.current, this.schemas.load(schemaPath));
    } catch (e) {
      void connection.window.showErrorMessage(`B2C Policy Tools: cannot load the schema '${this.current.schemaPath}': ${(e as Error).message}. Using the bundled schema.`);
      service.configure(this.current, this.schemas.load());
    }
  }
}
