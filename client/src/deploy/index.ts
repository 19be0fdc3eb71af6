import * as vscode from 'vscode';
import { Commands } from '../../../server/src/protocol';
import { DeployCommand, type DeployArguments, type DeployDependencies } from './deployCommand';

export type { DeployArguments, DeployOutcome, DeployDependencies } from './deployCommand';

/** Diagnostic collection of the service's answers to uploads (shown in the Problems panel). */
export const DEPLOY_DIAGNOSTICS = 'b2c-policy-deploy';

/**
 * Registers "B2C: Deploy policies" (Commands.deployPolicies). The command takes a folder Uri (explorer
 * context menu) or DeployArguments (scripted use) and resolves to a DeployOutcome.
 */
export function registerDeployCommands(context: vscode.ExtensionContext, deps: DeployDependencies = {}): void {
  const diagnostics = vscode.languages.createDiagnosticCollection(DEPLOY_DIAGNOSTICS);
  const output = vscode.window.createOutputChannel('B2C Policy Deploy');
  const command = new DeployCommand(diagnostics, output, deps);
  context.subscriptions.push(
    diagnostics,
    output,
    vscode.commands.registerCommand(Commands.deployPolicies, (argument?: DeployArguments | vscode.Uri) => command.run(argument)),
  );
}
