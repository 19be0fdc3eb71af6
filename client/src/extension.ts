import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, ConfigurationSection, type InitializationOptions } from '../../server/src/protocol';
import { registerDeployCommands } from './deploy';
import { insertAmazonClaimsProvider, type InsertAmazonArguments } from './insertClaimsProvider';
import { registerJourneyView } from './journeyView/panel';
import { registerPolicySetsView } from './policySetsView';

let client: LanguageClient | undefined;

/** Thin client: starts the language server and hands it XML documents and file events. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'xml' }, { scheme: 'untitled', language: 'xml' }],
    initializationOptions: { storagePath: context.globalStorageUri.fsPath } satisfies InitializationOptions,
    synchronize: {
      configurationSection: ConfigurationSection,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.xml'),
    },
  };
  client = new LanguageClient('b2cPolicy', 'B2C Policy Tools', serverOptions, clientOptions);
  await client.start();
  const started = client;
  registerDeployCommands(context);
  registerJourneyView(context, started);
  registerPolicySetsView(context, started);
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.insertAmazonClaimsProvider, (args?: InsertAmazonArguments | vscode.Uri) =>
      insertAmazonClaimsProvider(started, args instanceof vscode.Uri ? { uri: args.toString() } : args ?? {}),
    ),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
