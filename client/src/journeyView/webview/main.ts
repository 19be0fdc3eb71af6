/**
 * The journey view's page script (bundled by esbuild into dist/journeyView.js, loaded with the page's CSP
 * nonce). It lays out each graph the extension sends (ELK, in this page rather than in the extension host,
 * which it would block for the layout's time and whose activation would load the layout library for every
 * XML file), draws it with the shared SVG renderer, and turns clicks into requests to the extension. Colours
 * come from VS Code's theme variables, so theme changes need nothing here.
 */
import { createLayoutEngine, layoutJourneyGraph, type PlacedGraph } from '../../../../server/src/graph/layout';
import type { JourneyGraph } from '../../../../server/src/graph/model';
import { renderSvg } from '../../../../server/src/graph/svg';
import { asToWebview, type FromWebview, type PictureSummary } from '../messages';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the page being hidden and shown again. */
interface ViewState {
  expanded: string[];
  claim: string;
  zoom: number;
}

const ZOOMS = [0.25, 0.33, 0.5, 0.67, 0.8, 0.9, 1, 1.25, 1.5, 2];

class JourneyPicture {
  private graph: JourneyGraph | undefined;
  private placed: PlacedGraph | undefined;
  private revision = 0;
  private status = '';
  /** Counts layouts so that a slow one finishing after a newer one is dropped. */
  private layouts = 0;
  private readonly engine = createLayoutEngine();
  private readonly state: ViewState;

  constructor(
    private readonly api: VsCodeApi,
    private readonly picture: HTMLElement,
    private readonly statusLine: HTMLElement,
    private readonly claimSelect: HTMLSelectElement,
  ) {
    const saved = (api.getState() ?? {}) as Partial<ViewState>;
    this.state = { expanded: Array.isArray(saved.expanded) ? saved.expanded : [], claim: typeof saved.claim === 'string' ? saved.claim : '', zoom: typeof saved.zoom === 'number' ? saved.zoom : 1 };
  }

  receive(data: unknown): void {
    const message = asToWebview(data);
    if (!message) return;
    if (message.type === 'graph') {
      this.graph = message.graph;
      this.revision = message.revision;
      this.status = message.graph.complete ? '' : 'The chain stops at a base policy that is not in the workspace: part of the journey may be missing.';
      void this.layout();
    } else if (message.type === 'status') {
      this.revision = message.revision;
      this.status = message.message;
      this.showStatus();
      this.post({ type: 'rendered', summary: this.describe() });
    } else this.post({ type: 'description', requestId: message.requestId, summary: this.describe() });
  }

  private async layout(): Promise<void> {
    const graph = this.graph;
    if (!graph) return;
    const token = ++this.layouts;
    try {
      const placed = await layoutJourneyGraph(graph, { expanded: new Set(this.state.expanded) }, this.engine);
      if (token !== this.layouts) return;
      this.placed = placed;
    } catch (e) {
      this.status = `The journey could not be laid out: ${(e as Error).message}`;
    }
    this.draw();
  }

  /** Draws the laid-out graph (again: after a zoom or a claim highlight no layout is needed). */
  private draw(): void {
    const placed = this.placed;
    if (placed) {
      this.picture.innerHTML = renderSvg(placed, { highlightClaim: this.state.claim || undefined });
      const svg = this.picture.querySelector('svg');
      if (svg) {
        svg.setAttribute('width', String(Math.round(placed.width * this.state.zoom)));
        svg.setAttribute('height', String(Math.round(placed.height * this.state.zoom)));
      }
      for (const node of this.picture.querySelectorAll('[data-node]')) {
        node.setAttribute('tabindex', '0');
        node.setAttribute('role', 'button');
        node.setAttribute('aria-label', node.querySelector('title')?.textContent ?? '');
      }
      this.fillClaims(placed.graph);
    }
    this.showStatus();
    this.post({ type: 'rendered', summary: this.describe() });
  }

  private showStatus(): void {
    this.statusLine.textContent = this.status;
    this.statusLine.hidden = !this.status;
  }

  private fillClaims(graph: JourneyGraph): void {
    const wanted = ['', ...graph.claims.map((c) => c.id)];
    const current = [...this.claimSelect.options].map((o) => o.value);
    if (wanted.join('\n') !== current.join('\n')) {
      this.claimSelect.replaceChildren(
        ...wanted.map((id) => {
          const option = document.createElement('option');
          option.value = id;
          option.textContent = id || '(highlight a claim)';
          return option;
        }),
      );
    }
    if (!wanted.includes(this.state.claim)) this.state.claim = '';
    this.claimSelect.value = this.state.claim;
  }

  /** A click or Enter on a box: expand or collapse a sub-journey, or open the box's code. */
  activate(target: Element): void {
    const node = target.closest('[data-node]');
    const id = node?.getAttribute('data-node');
    if (!id) return;
    if (target.closest('[data-toggle]')) {
      const expanded = new Set(this.state.expanded);
      if (expanded.has(id)) expanded.delete(id);
      else expanded.add(id);
      this.state.expanded = [...expanded];
      this.save();
      void this.layout();
      return;
    }
    const declaration = target.closest('[data-declaration]')?.getAttribute('data-declaration');
    this.post({ type: 'open', nodeId: id, declaration: declaration ? Number(declaration) : undefined });
  }

  highlight(claim: string): void {
    this.state.claim = claim;
    this.save();
    this.draw();
  }

  zoom(step: -1 | 0 | 1): void {
    const index = ZOOMS.findIndex((z) => z >= this.state.zoom);
    this.state.zoom = step === 0 ? 1 : ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, (index < 0 ? ZOOMS.length - 1 : index) + step))];
    this.save();
    this.draw();
  }

  saveSvg(): void {
    if (this.placed) this.post({ type: 'saveSvg', svg: renderSvg(this.placed, { embedStyle: true, highlightClaim: this.state.claim || undefined }) });
  }

  copyMermaid(): void {
    this.post({ type: 'copyMermaid' });
  }

  /** What the page shows, read from its DOM. */
  describe(): PictureSummary {
    const texts = (e: Element) => [...e.querySelectorAll(':scope > text')].map((t) => t.textContent ?? '');
    return {
      revision: this.revision,
      journeyId: this.graph?.journey.id ?? '',
      nodes: [...this.picture.querySelectorAll('[data-node]')].map((e) => ({
        id: e.getAttribute('data-node') ?? '',
        kind: e.getAttribute('data-kind') ?? '',
        classes: [...e.classList],
        text: texts(e),
        tooltip: e.querySelector(':scope > title')?.textContent ?? '',
      })),
      edges: [...this.picture.querySelectorAll('[data-edge]')].map((e) => ({
        id: e.getAttribute('data-edge') ?? '',
        kind: [...e.classList].find((c) => c !== 'edge') ?? '',
        from: e.getAttribute('data-from') ?? '',
        to: e.getAttribute('data-to') ?? '',
        label: texts(e).join(' '),
      })),
      status: this.status,
    };
  }

  private save(): void {
    this.api.setState(this.state);
  }

  private post(message: FromWebview): void {
    this.api.postMessage(message);
  }
}

function start(): void {
  const api = acquireVsCodeApi();
  const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const view = new JourneyPicture(api, element('picture'), element('status'), element<HTMLSelectElement>('claim'));
  window.addEventListener('message', (event) => view.receive(event.data));
  element('picture').addEventListener('click', (event) => {
    if (event.target instanceof Element) view.activate(event.target);
  });
  element('picture').addEventListener('keydown', (event) => {
    if ((event.key === 'Enter' || event.key === ' ') && event.target instanceof Element) {
      event.preventDefault();
      view.activate(event.target);
    }
  });
  element<HTMLSelectElement>('claim').addEventListener('change', (event) => view.highlight((event.target as HTMLSelectElement).value));
  element('save').addEventListener('click', () => view.saveSvg());
  element('copy').addEventListener('click', () => view.copyMermaid());
  element('zoom-out').addEventListener('click', () => view.zoom(-1));
  element('zoom-reset').addEventListener('click', () => view.zoom(0));
  element('zoom-in').addEventListener('click', () => view.zoom(1));
  api.postMessage({ type: 'ready' });
}

start();
