// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import './distsimRun.ts';

const src = 'https://embed.example/distsim/embed.html#/pub-sub?run=abc&from=1';

function mount(attributes: Record<string, string>) {
  const element = document.createElement('distsim-run');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  document.body.append(element);
  const frame = element.shadowRoot?.querySelector('iframe');
  if (frame === null || frame === undefined) throw new Error('No iframe in <distsim-run>.');
  // jsdom gives an iframe in a shadow tree no window: the frame's window is a stand-in.
  const target = { postMessage: vi.fn() };
  Object.defineProperty(frame, 'contentWindow', { value: target });
  return { element, frame, target };
}

/** A message as the window gets it from `source`. */
function messageFrom(source: unknown, data: unknown): MessageEvent {
  const event = new MessageEvent('message', { data });
  Object.defineProperty(event, 'source', { value: source });
  return event;
}

describe('<distsim-run>', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('frames the embed with an accessible name and a height', () => {
    const { frame } = mount({ src, title: 'Pub-sub fan-out', height: '300px' });
    expect(frame.getAttribute('src')).toBe(src);
    expect(frame.title).toBe('Pub-sub fan-out');
    expect(frame.style.height).toBe('300px');
    const plain = mount({ src }).frame;
    expect(plain.title).toBe('DistSim run');
    expect(plain.style.height).toBe('420px');
  });

  it('follows a changed src', () => {
    const { element, frame } = mount({ src });
    element.setAttribute('src', `${src}&to=4`);
    expect(frame.getAttribute('src')).toBe(`${src}&to=4`);
  });

  it('sends play, pause and seek to the embed, at its origin only', () => {
    const { element, target } = mount({ src });
    element.play();
    element.pause();
    element.seek(2_500_000);
    expect(target.postMessage.mock.calls).toEqual([
      [{ type: 'distsim:play' }, 'https://embed.example'],
      [{ type: 'distsim:pause' }, 'https://embed.example'],
      [{ type: 'distsim:seek', timeUs: 2_500_000 }, 'https://embed.example'],
    ]);
  });

  it('re-dispatches its own embed events on the element, and no one else’s', () => {
    const { element, target } = mount({ src });
    const other = mount({ src }).target;
    const seen: unknown[] = [];
    element.addEventListener('distsim-moment', (event) => {
      seen.push((event as CustomEvent).detail);
    });
    const moment = { type: 'distsim:moment', timeUs: 5, kind: 'k', label: 'K', text: 'k!' };
    window.dispatchEvent(messageFrom(target, moment));
    window.dispatchEvent(messageFrom(other, moment));
    window.dispatchEvent(messageFrom(target, 'distsim:moment'));
    window.dispatchEvent(messageFrom(null, moment));
    expect(seen).toEqual([moment]);
  });
});
