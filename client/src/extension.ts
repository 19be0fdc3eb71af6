import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type Location, type Position, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, ConfigurationSection, type InitializationOptions } from '../../server/src/protocol';
import { registerDeployCommands } from './deploy';
import { registerEnvironments } from './environments';
import { insertAmazonClaimsProvider, type InsertAmazonArguments } from './insertClaimsProvider';
import { registerJourneyView } from './journeyView/panel';
import { registerPolicySetsView } from './policySetsView';

let client: LanguageClient | undefined;

/** appsettings.json in any case (globs are case-sensitive on Linux). */
const APPSETTINGS_GLOB = '**/[aA][pP][pP][sS][eE][tT][tT][iI][nN][gG][sS].json';

/** Thin client: starts the language server and hands it XML documents and file events. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // appsettings.json (any case) too: its environments govern the policies below it, even before it is saved.
    documentSelector: [{ scheme: 'file', language: 'xml' }, { scheme: 'untitled', language: 'xml' }, { scheme: 'file', pattern: APPSETTINGS_GLOB }],
    initializationOptions: { storagePath: context.globalStorageUri.fsPath } satisfies InitializationOptions,
    synchronize: {
      configurationSection: ConfigurationSection,
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.xml'), vscode.workspace.createFileSystemWatcher(APPSETTINGS_GLOB)],
    },
  };
  client = new LanguageClient('b2cPolicy', 'B2C Policy Tools', serverOptions, clientOptions);
  await client.start();
  const started = client;
  const environments = registerEnvironments(context, started);
  registerDeployCommands(context, { environments: environments.roots });
  registerJourneyView(context, started);
  registerPolicySetsView(context, started);
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.insertAmazonClaimsProvider, (args?: InsertAmazonArguments | vscode.Uri) =>
      insertAmazonClaimsProvider(started, args instanceof vscode.Uri ? { uri: args.toString() } : args ?? {}),
    ),
    // The command of the server's code lenses: LSP locations in, VS Code's references view out.
    vscode.commands.registerCommand(Commands.showReferences, (uri: string, position: Position, locations: Location[]) => {
      const convert = started.protocol2CodeConverter;
      return vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), convert.asPosition(position), locations.map((l) => convert.asLocation(l)));
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
