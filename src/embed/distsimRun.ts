/*
 * <distsim-run src="https://…/embed.html#/…"> : the embed as markup. One script, built as
 * `distsim-run.js` at a stable name (vite.config.ts) and importing nothing, so a page includes it
 * with one <script type="module">. It frames the embed and speaks its postMessage API for the
 * page: methods play(), pause(), seek(timeUs), and the embed's events re-dispatched on the element
 * as `distsim-ready`, `distsim-time`, `distsim-moment` and `distsim-error` (the message in
 * `detail`). Its own types are written out here, not imported, to keep it one file.
 */

/** Height when the page gives none: room for the topology, the instrument and the controls. */
const defaultHeight = '420px';

type Command =
  | { readonly type: 'distsim:play' }
  | { readonly type: 'distsim:pause' }
  | { readonly type: 'distsim:seek'; readonly timeUs: number };

export class DistsimRunElement extends HTMLElement {
  static readonly observedAttributes = ['src', 'height', 'title'];
  private readonly frame: HTMLIFrameElement;
  private readonly onMessage = (event: MessageEvent): void => {
    // Only the element's own embed: a page may hold several.
    if (event.source === null || event.source !== this.frame.contentWindow) return;
    const data: unknown = event.data;
    if (typeof data !== 'object' || data === null) return;
    const type = (data as { type?: unknown }).type;
    if (typeof type !== 'string' || !type.startsWith('distsim:')) return;
    this.dispatchEvent(new CustomEvent(type.replace(':', '-'), { detail: data }));
  };

  constructor() {
    super();
    this.frame = document.createElement('iframe');
    // Set through the CSSOM, which a page's Content Security Policy allows (no inline style).
    this.frame.style.display = 'block';
    this.frame.style.width = '100%';
    this.frame.style.border = '0';
    this.frame.setAttribute('loading', 'lazy');
    this.attachShadow({ mode: 'open' }).append(this.frame);
  }

  connectedCallback(): void {
    this.style.display = this.style.display || 'block';
    window.addEventListener('message', this.onMessage);
    this.update();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.onMessage);
  }

  attributeChangedCallback(): void {
    this.update();
  }

  play(): void {
    this.send({ type: 'distsim:play' });
  }

  pause(): void {
    this.send({ type: 'distsim:pause' });
  }

  /** Goes to `timeUs`, simulated microseconds from the run's start. */
  seek(timeUs: number): void {
    this.send({ type: 'distsim:seek', timeUs });
  }

  private update(): void {
    const src = this.getAttribute('src') ?? '';
    if (this.frame.getAttribute('src') !== src) this.frame.setAttribute('src', src);
    this.frame.style.height = this.getAttribute('height') ?? defaultHeight;
    // The frame's accessible name: the element's title, else a plain one.
    this.frame.title = this.getAttribute('title') ?? 'DistSim run';
  }

  /** To the embed's origin only: a command is meant for it, not whatever the frame holds now. */
  private send(command: Command): void {
    const target = this.frame.contentWindow;
    const src = this.frame.getAttribute('src');
    if (target === null || src === null || src === '') return;
    target.postMessage(command, new URL(src, document.baseURI).origin);
  }
}

if (customElements.get('distsim-run') === undefined) {
  customElements.define('distsim-run', DistsimRunElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'distsim-run': DistsimRunElement;
  }
}
