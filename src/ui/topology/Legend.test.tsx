// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Legend } from './Legend.tsx';

afterEach(cleanup);

describe('Legend', () => {
  it('starts open where there is room, closed where it would cover nodes', () => {
    const open = render(<Legend types={['Ping']} colours={{ Ping: '#123456' }} hasRoom />);
    expect(open.container.querySelector('details')?.open).toBe(true);
    cleanup();
    const closed = render(
      <Legend types={['Ping']} colours={{ Ping: '#123456' }} hasRoom={false} />,
    );
    const details = closed.container.querySelector('details');
    expect(details?.open).toBe(false);
    expect(details?.textContent).toContain('Ping');
  });

  it('follows the room as the layout changes, until the person opens or closes it', () => {
    const props = { types: ['Ping'], colours: { Ping: '#123456' } };
    const view = render(<Legend {...props} hasRoom />);
    const details = () => view.container.querySelector('details') as HTMLDetailsElement;
    expect(details().open).toBe(true);
    view.rerender(<Legend {...props} hasRoom={false} />);
    expect(details().open).toBe(false);
    // The person opens it: it stays open however the layout changes.
    act(() => {
      details().open = true;
      details().dispatchEvent(new Event('toggle'));
    });
    view.rerender(<Legend {...props} hasRoom={false} />);
    expect(details().open).toBe(true);
  });
});
