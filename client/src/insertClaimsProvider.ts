import * as vscode from 'vscode';
import type { LanguageClient, WorkspaceEdit as LspWorkspaceEdit } from 'vscode-languageclient/node';
import { InsertClaimsProviderRequest, ScaffoldContextRequest, type InsertClaimsProviderParams, type InsertClaimsProviderResult } from '../../server/src/protocol';

/** Inputs of the command; any left out are asked for (so the command can be scripted and tested). */
export interface InsertAmazonArguments {
  uri?: string;
  clientId?: string;
  policyKey?: string;
  journey?: string;
  newJourney?: string;
  /** Relying-party uris to point at the journey; 'all' for every relying party of the chain. */
  relyingParties?: string[] | 'all';
}

type InsertResult = Partial<InsertClaimsProviderResult> & { error?: string };

const newJourneyItem = (source: string) => `$(add) Copy ${source} as a new journey`;

/** "B2C: Insert Amazon claims provider": asks for input, the server computes the edit, the client applies it. */
export async function insertAmazonClaimsProvider(client: LanguageClient, args: InsertAmazonArguments = {}): Promise<InsertResult | undefined> {
  const scripted = args.clientId !== undefined;
  let uri = args.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  let context = uri ? await client.sendRequest(ScaffoldContextRequest, { uri }) : null;
  const isPolicy = (u: string | undefined) => !!u && !!context?.policies.some((p) => p.uri === u);
  if (!uri || !isPolicy(uri) || (!args.uri && !context?.policies.find((p) => p.uri === uri)?.isExtensions)) {
    const policies = context?.policies ?? (await client.sendRequest(ScaffoldContextRequest, { uri: '' }))?.policies ?? [];
    if (policies.length === 0) {
      void vscode.window.showErrorMessage('No policy files in the workspace.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      policies
        .sort((a, b) => Number(b.isExtensions) - Number(a.isExtensions))
        .map((p) => ({ label: p.policyId, description: vscode.workspace.asRelativePath(vscode.Uri.parse(p.uri)), uri: p.uri })),
      { title: 'Insert Amazon claims provider into which policy?', placeHolder: 'Usually TrustFrameworkExtensions.xml' },
    );
    if (!pick) return undefined;
    uri = pick.uri;
    context = await client.sendRequest(ScaffoldContextRequest, { uri });
  }
  if (!context) return undefined;
  if (!scripted && !context.journeys.length && !context.copySource) {
    // Said before any prompt: no journey of this chain can show a provider button, and there is none to copy.
    void vscode.window.showErrorMessage(
      'Insert Amazon claims provider: no user journey in this policy\'s chain has a CombinedSignInAndSignUp or ClaimsProviderSelection step, and there is no SignUpOrSignIn journey to copy.',
    );
    return undefined;
  }

  if (context.alreadyPresent && !scripted) {
    const choice = await vscode.window.showWarningMessage(
      'This chain already has an Amazon-OAuth2 technical profile or an AmazonExchange. Update it with new values instead of adding a second one?',
      { modal: true },
      'Update',
    );
    if (choice !== 'Update') return undefined;
  }

  const clientId =
    args.clientId ??
    (await vscode.window.showInputBox({
      title: 'Amazon application client ID',
      prompt: 'The client ID of your app in the Amazon developer console (the secret goes into a policy key, never into the file)',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'The client ID is required'),
    }));
  if (!clientId) return undefined;
  const policyKey =
    args.policyKey ??
    (scripted
      ? undefined
      : await vscode.window.showInputBox({ title: 'Policy key holding the client secret', value: 'B2C_1A_AmazonSecret', prompt: 'B2C_1A_ is added if you leave it out', ignoreFocusOut: true }));
  if (!scripted && policyKey === undefined) return undefined;

  let journey = args.journey;
  let newJourney = args.newJourney;
  if (!scripted && !journey && !newJourney) {
    const copy = context.copySource ? newJourneyItem(context.copySource) : undefined;
    const picked = await vscode.window.showQuickPick([...context.journeys, ...(copy ? [copy] : [])], { title: 'Which journey gets the Amazon button?' });
    if (!picked) return undefined;
    if (picked === copy) {
      newJourney = await vscode.window.showInputBox({ title: 'Id of the new journey', value: 'CustomSignUpSignIn', ignoreFocusOut: true });
      if (!newJourney) return undefined;
    } else journey = picked;
  }

  let relyingParties: string[] = [];
  if (args.relyingParties === 'all') relyingParties = context.relyingParties.map((r) => r.uri);
  else if (args.relyingParties) relyingParties = args.relyingParties;
  else if (!scripted && context.relyingParties.length) {
    // Pre-selected: the relying parties now on the chosen journey, or on the journey a new one is copied from.
    const existing = journey ?? context.journeys.find((j) => j.toLowerCase() === newJourney?.toLowerCase());
    const forJourney = existing ? ((await client.sendRequest(ScaffoldContextRequest, { uri, journey: existing })) ?? context) : context;
    const picks = await vscode.window.showQuickPick(
      forJourney.relyingParties.map((r) => ({ label: r.policyId, description: `now: ${r.defaultJourney ?? 'none'}`, uri: r.uri, picked: r.preselect })),
      { title: 'Point these relying parties at the journey?', canPickMany: true },
    );
    relyingParties = (picks ?? []).map((p) => p.uri);
  }

  const params: InsertClaimsProviderParams = { uri, provider: 'amazon', answers: { clientId, policyKey: policyKey || undefined, journey, newJourney, relyingParties } };
  const result: InsertResult = await client.sendRequest(InsertClaimsProviderRequest, params);
  if (result.error || !result.edit) {
    void vscode.window.showErrorMessage(`Insert Amazon claims provider: ${result.error ?? 'no edit'}`);
    return result;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit as unknown as LspWorkspaceEdit);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('Insert Amazon claims provider: the edit could not be applied.');
    return { ...result, error: 'not applied' };
  }
  if (result.info) {
    const { allowedOrigin, returnUrl, policyKey: key } = result.info;
    const message = `Amazon ${result.alreadyPresent ? 'updated' : 'added'} to journey '${result.journeyId}'. In the Amazon developer console set Allowed Origins ${allowedOrigin} and Allowed Return URLs ${returnUrl}; create the policy key ${key} (Manual, the client secret) in the portal, then upload the Extensions file, then the relying party.`;
    const shown = vscode.window.showInformationMessage(message, 'Copy return URL', 'Copy origin').then(async (action) => {
      if (action === 'Copy return URL') await vscode.env.clipboard.writeText(returnUrl);
      if (action === 'Copy origin') await vscode.env.clipboard.writeText(allowedOrigin);
    });
    if (!scripted) await shown;
  }
  return result;
}
