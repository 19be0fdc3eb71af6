/**
 * The "B2C Policies" view in the explorer (issue 13, part 2): for each folder, each relying party with its
 * chain as the service resolves it (relying party -> Extensions -> Localization -> Base), error and warning
 * counts per file, where a chain stops at a missing base or closes a cycle, and the policies no relying party
 * builds on; under each file its journeys, technical profiles and claim types. A click opens. The data comes
 * from the language server (PolicySetsRequest, PolicyFileOutlineRequest); refreshed as findings change.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  Commands,
  PolicyFileOutlineRequest,
  PolicySetsRequest,
  type PolicyFileOutlineItem,
  type PolicySetChain,
  type PolicySetFile,
  type PolicySetFolder,
} from '../../server/src/protocol';

export const POLICY_SETS_VIEW = 'b2cPolicy.policySets';
const REFRESH_DELAY_MS = 500;

/**
 * A tree element. Relying parties and journeys carry `uri` (and `journeyId`): "Show journey" on them receives
 * the element and reads those.
 */
type Node =
  | { kind: 'folder'; folder: PolicySetFolder }
  | { kind: 'chain'; chain: PolicySetChain; uri: string }
  | { kind: 'others'; files: PolicySetFile[] }
  | { kind: 'file'; file: PolicySetFile; role?: string }
  | { kind: 'missing'; policyId: string; ambiguous: string[] }
  | { kind: 'cycle'; file: string; target: string }
  | { kind: 'group'; file: string; label: string; items: PolicyFileOutlineItem[] }
  | { kind: 'item'; file: string; item: PolicyFileOutlineItem; uri: string; journeyId?: string };

const GROUPS: Array<{ kind: PolicyFileOutlineItem['kind']; label: string }> = [
  { kind: 'userJourney', label: 'User journeys' },
  { kind: 'subJourney', label: 'Sub-journeys' },
  { kind: 'technicalProfile', label: 'Technical profiles' },
  { kind: 'claimType', label: 'Claim types' },
];
const ICONS: Record<PolicyFileOutlineItem['kind'], string> = { userJourney: 'type-hierarchy', subJourney: 'type-hierarchy-sub', technicalProfile: 'symbol-method', claimType: 'symbol-field' };

export function registerPolicySetsView(context: vscode.ExtensionContext, client: LanguageClient): void {
  const provider = new PolicySetsProvider(client);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => provider.refresh(), REFRESH_DELAY_MS);
  };
  context.subscriptions.push(
    vscode.window.createTreeView(POLICY_SETS_VIEW, { treeDataProvider: provider, showCollapseAll: true }),
    vscode.commands.registerCommand(Commands.refreshPolicySets, () => provider.refresh()),
    vscode.languages.onDidChangeDiagnostics(later),
    vscode.workspace.onDidCreateFiles(later),
    vscode.workspace.onDidDeleteFiles(later),
    vscode.workspace.onDidRenameFiles(later),
    { dispose: () => timer && clearTimeout(timer) },
  );
}

class PolicySetsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const sets = await this.client.sendRequest(PolicySetsRequest, {}).catch(() => ({ folders: [] }));
      return sets.folders.map((folder) => ({ kind: 'folder', folder }));
    }
    switch (node.kind) {
      case 'folder':
        return [...node.folder.relyingParties.map((chain): Node => ({ kind: 'chain', chain, uri: chain.relyingParty.uri })), ...(node.folder.others.length ? [{ kind: 'others', files: node.folder.others } as Node] : [])];
      case 'chain': {
        const files = node.chain.chain.map((file, i): Node => ({ kind: 'file', file, role: i === 0 ? 'relying party' : undefined }));
        if (node.chain.missingBase) files.push({ kind: 'missing', policyId: node.chain.missingBase.policyId, ambiguous: node.chain.missingBase.ambiguous });
        if (node.chain.cycle) files.push({ kind: 'cycle', file: node.chain.cycle.file, target: node.chain.cycle.target });
        return files;
      }
      case 'others':
        return node.files.map((file): Node => ({ kind: 'file', file }));
      case 'file': {
        const items = await this.client.sendRequest(PolicyFileOutlineRequest, { uri: node.file.uri }).catch(() => []);
        return GROUPS.map((g) => ({ kind: 'group', file: node.file.uri, label: g.label, items: items.filter((i) => i.kind === g.kind) }) as Node).filter((g) => g.kind === 'group' && g.items.length > 0);
      }
      case 'group':
        return node.items.map((item): Node => ({ kind: 'item', file: node.file, item, uri: node.file, journeyId: item.kind === 'userJourney' || item.kind === 'subJourney' ? item.id : undefined }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'folder': {
        const uri = vscode.Uri.parse(node.folder.folder);
        const root = vscode.workspace.getWorkspaceFolder(uri);
        const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
        const label = root && root.uri.toString() === uri.toString() ? root.name : vscode.workspace.asRelativePath(uri, multiRoot);
        const item = new vscode.TreeItem(label, C.Expanded);
        item.iconPath = vscode.ThemeIcon.Folder;
        item.tooltip = uri.fsPath;
        return item;
      }
      case 'chain': {
        const rp = node.chain.relyingParty;
        const errors = node.chain.chain.reduce((n, f) => n + f.errors, 0);
        const broken = !!node.chain.missingBase || !!node.chain.cycle;
        const item = new vscode.TreeItem(fileName(rp.uri), C.Collapsed);
        item.description = [rp.policyId, rp.defaultUserJourney && `→ ${rp.defaultUserJourney}`, errors && plural(errors, 'error'), node.chain.missingBase && 'missing base', node.chain.cycle && 'cycle'].filter(Boolean).join(' · ');
        item.tooltip = node.chain.chain.map((f) => `${f.policyId ?? fileName(f.uri)} (${fileName(f.uri)})`).join(' → ');
        item.iconPath = errors || broken ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('key');
        item.contextValue = 'relyingParty';
        item.resourceUri = vscode.Uri.parse(rp.uri);
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(rp.uri)] };
        return item;
      }
      case 'others': {
        const item = new vscode.TreeItem('Policies no relying party here builds on', C.Collapsed);
        item.iconPath = new vscode.ThemeIcon('files');
        return item;
      }
      case 'file': {
        const f = node.file;
        const item = new vscode.TreeItem(fileName(f.uri), C.Collapsed);
        item.description = [f.policyId, node.role, f.errors && plural(f.errors, 'error'), f.warnings && plural(f.warnings, 'warning')].filter(Boolean).join(' · ');
        item.iconPath = f.errors ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : f.warnings ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground')) : new vscode.ThemeIcon('file-code');
        item.resourceUri = vscode.Uri.parse(f.uri);
        item.contextValue = 'policyFile';
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(f.uri)] };
        return item;
      }
      case 'missing': {
        const item = new vscode.TreeItem(`Base ${node.policyId} not found`, C.None);
        item.description = node.ambiguous.length ? `in ${node.ambiguous.length} folders at the same distance` : 'not in the workspace';
        item.tooltip = node.ambiguous.length ? `Found in ${node.ambiguous.map((u) => vscode.workspace.asRelativePath(vscode.Uri.parse(u))).join(', ')}: which one is meant cannot be told.` : undefined;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
        return item;
      }
      case 'cycle': {
        const item = new vscode.TreeItem(`Cycle: ${fileName(node.file)} → ${fileName(node.target)}`, C.None);
        item.iconPath = new vscode.ThemeIcon('sync', new vscode.ThemeColor('errorForeground'));
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(node.file)] };
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, C.Collapsed);
        item.description = String(node.items.length);
        return item;
      }
      case 'item': {
        const item = new vscode.TreeItem(node.item.id, C.None);
        item.iconPath = new vscode.ThemeIcon(ICONS[node.item.kind]);
        const { start, end } = node.item.range;
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(node.file), { selection: new vscode.Range(start.line, start.character, end.line, end.character) }] };
        if (node.item.kind === 'userJourney' || node.item.kind === 'subJourney') item.contextValue = 'journey';
        return item;
      }
    }
  }
}

function fileName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
