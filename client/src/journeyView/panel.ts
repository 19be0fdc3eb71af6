/**
 * The journey view (issue 13): a webview beside the editor that draws the journey at the cursor (or the
 * relying party's DefaultUserJourney) as the language server computes it from the effective chain, follows
 * edits (debounced), and opens the defining element of a clicked box. The page itself (webview/main.ts)
 * lays out and draws; this side asks the server, answers the page, and holds no state outside the one
 * registration (one panel, reused).
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, JourneyGraphRequest, type JourneyGraphParams } from '../../../server/src/protocol';
import type { GraphLocation, JourneyGraph } from '../../../server/src/graph/model';
import { toMermaid } from '../../../server/src/graph/mermaid';
import { GRAPH_CSS } from '../../../server/src/graph/svg';
import { asFromWebview, type PictureSummary, type ToWebview } from './messages';

/** Not contributed (no palette entry): returns what the view draws, read from its page (see `describe`). */
export const DESCRIBE_COMMAND = 'b2cPolicy.journeyView.describe';
const VIEW_TYPE = 'b2cPolicy.journeyView';
const UPDATE_DELAY_MS = 300;
/** An SVG larger than this is not what the page draws: refused. */
const MAX_SVG_BYTES = 50 * 1024 * 1024;
/** The context key that shows the view's button and menu item on policy files. */
const POLICY_FILE_CONTEXT = 'b2cPolicy.policyFile';

/** The journey the panel follows: the file it was asked from and the journey, by id once known. */
interface Target {
  uri: string;
  position?: vscode.Position;
  journeyId?: string;
}

export function registerJourneyView(context: vscode.ExtensionContext, client: LanguageClient): void {
  const view = new JourneyView(context, client);
  context.subscriptions.push(
    view,
    vscode.commands.registerCommand(Commands.showJourney, (arg?: vscode.Uri | { uri: string; journeyId?: string }) => view.show(arg)),
    vscode.commands.registerCommand(DESCRIBE_COMMAND, (options?: { after?: number; timeoutMs?: number }) => view.describe(options)),
    vscode.window.onDidChangeActiveTextEditor((editor) => updatePolicyFileContext(editor)),
  );
  updatePolicyFileContext(vscode.window.activeTextEditor);
}

/** Whether a document is a policy file: its root element is TrustFrameworkPolicy (DESIGN.md: by root element, never by name). */
function isPolicyDocument(document: vscode.TextDocument | undefined): boolean {
  const head = document?.languageId === 'xml' ? document.getText(new vscode.Range(0, 0, 200, 0)) : '';
  const root = /^\uFEFF?(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(head);
  return root?.[2] === 'TrustFrameworkPolicy';
}

function updatePolicyFileContext(editor: vscode.TextEditor | undefined): void {
  void vscode.commands.executeCommand('setContext', POLICY_FILE_CONTEXT, isPolicyDocument(editor?.document));
}

class JourneyView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private target: Target | undefined;
  private graph: JourneyGraph | undefined;
  /** Why the journey is not (or no longer) drawn, when it is not. */
  private status: string | undefined;
  private revision = 0;
  /** The latest PictureSummary the page reported, and who waits for the next ones. */
  private summary: PictureSummary | undefined;
  private readonly waiting: Array<{ after: number; resolve: (s: PictureSummary) => void }> = [];
  private readonly descriptions = new Map<number, (s: PictureSummary) => void>();
  private requestCounter = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The editor column to open code in (the one the view was asked from). */
  private codeColumn = vscode.ViewColumn.One;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {
    const later = () => this.scheduleUpdate();
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => e.document.languageId === 'xml' && e.contentChanges.length > 0 && later()),
      // Findings and files changed on disk (bases not open in an editor) reach the picture this way.
      vscode.languages.onDidChangeDiagnostics(later),
    );
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  /** The command: the journey at the cursor of the given or active file (or named by a test or another command). */
  async show(arg?: vscode.Uri | { uri: string; journeyId?: string }): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    let target: Target;
    if (arg instanceof vscode.Uri) target = { uri: arg.toString(), position: editor?.document.uri.toString() === arg.toString() ? editor.selection.active : undefined };
    else if (arg && typeof arg.uri === 'string') target = { uri: arg.uri, journeyId: typeof arg.journeyId === 'string' ? arg.journeyId : undefined };
    else if (editor) target = { uri: editor.document.uri.toString(), position: editor.selection.active };
    else {
      void vscode.window.showInformationMessage('Open a policy file (a relying party, or a file with a UserJourney) to see its journey.');
      return;
    }
    if (editor?.viewColumn) this.codeColumn = editor.viewColumn;
    const graph = await this.request(target);
    if ('error' in graph) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri);
      if (document && !isPolicyDocument(document)) {
        void vscode.window.showWarningMessage(graph.error);
        return;
      }
      // A policy file whose journey is not there yet (its bases still being read, a journey being written):
      // the view says why and draws the journey as soon as the chain has it.
      this.target = target;
      this.graph = undefined;
      this.open();
      this.showStatus(graph.error);
      return;
    }
    this.target = { uri: target.uri, journeyId: graph.journey.id };
    this.open();
    this.publish(graph);
  }

  private showStatus(message: string): void {
    this.status = message;
    this.post({ type: 'status', revision: ++this.revision, message });
  }

  private async request(target: Target): Promise<JourneyGraph | { error: string }> {
    const params: JourneyGraphParams = { uri: target.uri, journeyId: target.journeyId };
    if (!target.journeyId) params.position = target.position ? { line: target.position.line, character: target.position.character } : { line: 0, character: 0 };
    try {
      return await this.client.sendRequest(JourneyGraphRequest, params);
    } catch (e) {
      return { error: `The language server could not draw the journey: ${(e as Error).message}` };
    }
  }

  private open(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Journey', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [dist] });
    panel.webview.html = pageHtml(panel.webview, vscode.Uri.joinPath(dist, 'journeyView.js'));
    panel.webview.onDidReceiveMessage((m) => this.receive(m), undefined, this.subscriptions);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.target = undefined;
      this.graph = undefined;
      this.status = undefined;
      this.summary = undefined;
    });
    this.panel = panel;
  }

  private publish(graph: JourneyGraph): void {
    this.graph = graph;
    this.status = undefined;
    if (!this.panel) return;
    this.panel.title = `Journey ${graph.journey.id}`;
    this.post({ type: 'graph', revision: ++this.revision, graph });
  }

  private scheduleUpdate(): void {
    if (!this.panel || !this.target) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  private async update(): Promise<void> {
    this.timer = undefined;
    const target = this.target;
    if (!target || !this.panel) return;
    const graph = await this.request(target);
    if (target !== this.target) return;
    if ('error' in graph) {
      if (graph.error !== this.status) this.showStatus(graph.error);
      return;
    }
    // The first journey found for a file is the one followed from then on.
    target.journeyId ??= graph.journey.id;
    if (this.status !== undefined || JSON.stringify(graph) !== JSON.stringify(this.graph)) this.publish(graph);
  }

  private post(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private receive(data: unknown): void {
    const message = asFromWebview(data);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        if (this.graph) this.post({ type: 'graph', revision: this.revision, graph: this.graph });
        if (this.status !== undefined) this.post({ type: 'status', revision: this.revision, message: this.status });
        break;
      case 'open':
        void this.openNode(message.nodeId, message.declaration);
        break;
      case 'saveSvg':
        void this.saveSvg(message.svg);
        break;
      case 'copyMermaid':
        if (this.graph) void vscode.env.clipboard.writeText(toMermaid(this.graph)).then(() => vscode.window.showInformationMessage(`Journey ${this.graph?.journey.id} copied as Mermaid.`));
        break;
      case 'rendered':
        this.summary = message.summary;
        for (const w of this.waiting.splice(0)) {
          if (message.summary.revision > w.after) w.resolve(message.summary);
          else this.waiting.push(w);
        }
        break;
      case 'description':
        this.descriptions.get(message.requestId)?.(message.summary);
        this.descriptions.delete(message.requestId);
        break;
    }
  }

  /** Opens the element a node stands for, in the chain's file, in the code column. */
  private async openNode(nodeId: string, declaration: number | undefined): Promise<void> {
    const node = this.graph?.nodes.find((n) => n.id === nodeId);
    if (!node) return;
    const location: GraphLocation | undefined = declaration !== undefined ? node.profile?.declarations[declaration] : node.location;
    // Only files of the journey's chain: a page message never opens anything else.
    if (!location || !this.graph?.chain.some((c) => c.uri === location.uri)) return;
    const { start, end } = location.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
    await vscode.window.showTextDocument(document, { viewColumn: this.codeColumn, selection: range, preview: false });
  }

  private async saveSvg(svg: string): Promise<void> {
    if (!this.graph || svg.length > MAX_SVG_BYTES || !svg.startsWith('<svg')) return;
    const beside = vscode.Uri.parse(this.graph.relyingParty?.uri ?? this.graph.chain[0].uri);
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(beside, '..', `${this.graph.journey.id}.svg`), filters: { SVG: ['svg'] }, title: 'Save the journey as SVG' });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg + '\n'));
  }

  /**
   * What the page draws, read from its DOM: now (a `describe` round trip), or, with `after`, once it has
   * drawn a revision newer than that (after an edit). Undefined when no view is open or on timeout.
   */
  describe(options: { after?: number; timeoutMs?: number } = {}): Promise<PictureSummary | undefined> {
    const panel = this.panel;
    if (!panel) return Promise.resolve(undefined);
    const timeoutMs = options.timeoutMs ?? 20000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      const done = (s: PictureSummary) => {
        clearTimeout(timer);
        resolve(s);
      };
      if (options.after !== undefined) {
        if (this.summary && this.summary.revision > options.after) done(this.summary);
        else this.waiting.push({ after: options.after, resolve: done });
        return;
      }
      const ask = () => {
        const requestId = ++this.requestCounter;
        this.descriptions.set(requestId, done);
        this.post({ type: 'describe', requestId });
      };
      // Before the page has drawn anything it may not be listening yet: ask once it has.
      if (this.summary) ask();
      else this.waiting.push({ after: -1, resolve: ask });
    });
  }
}

/** The page: the CSP allows only this extension's script (with a nonce) and the nonce'd style sheet; nothing from the network. */
function pageHtml(webview: vscode.Webview, script: vscode.Uri): string {
  const nonce = randomBytes(16).toString('hex');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Journey</title>
<style nonce="${nonce}">${GRAPH_CSS}${PAGE_CSS}</style>
</head>
<body>
<div class="toolbar" role="toolbar">
  <button id="save" title="Save the picture as an SVG file">Save as SVG</button>
  <button id="copy" title="Copy the journey as a Mermaid flowchart">Copy as Mermaid</button>
  <select id="claim" title="Outline the boxes that produce (green) and read (blue) a claim"><option value="">(highlight a claim)</option></select>
  <span class="zoom"><button id="zoom-out" title="Zoom out">−</button><button id="zoom-reset" title="Actual size">1:1</button><button id="zoom-in" title="Zoom in">+</button></span>
</div>
<div id="status" role="status" hidden></div>
<div id="picture"></div>
<script nonce="${nonce}" src="${webview.asWebviewUri(script)}"></script>
</body>
</html>`;
}

const PAGE_CSS = `
body { padding: 0; margin: 0; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
.toolbar { position: sticky; top: 0; z-index: 1; display: flex; gap: 6px; align-items: center; padding: 6px 8px; background: var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.toolbar button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-button-border, transparent); padding: 2px 8px; cursor: pointer; }
.toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground); }
.toolbar select { color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border, transparent); padding: 2px; max-width: 16em; }
.toolbar .zoom { margin-left: auto; display: flex; gap: 2px; }
#status { padding: 4px 8px; color: var(--vscode-editorWarning-foreground); }
#picture { padding: 4px; }
#picture [data-node]:focus { outline: none; }
#picture [data-node]:focus > .box { stroke: var(--vscode-focusBorder); stroke-width: 2; }
`;
