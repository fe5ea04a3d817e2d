// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Legend } from './Legend.tsx';

afterEach(cleanup);

describe('Legend', () => {
  it('starts open where there is room, closed where it would cover nodes', () => {
    const open = render(<Legend types={['Ping']} colours={{ Ping: '#123456' }} isOpenAtFirst />);
    expect(open.container.querySelector('details')?.open).toBe(true);
    cleanup();
    const closed = render(
      <Legend types={['Ping']} colours={{ Ping: '#123456' }} isOpenAtFirst={false} />,
    );
    const details = closed.container.querySelector('details');
    expect(details?.open).toBe(false);
    expect(details?.textContent).toContain('Ping');
  });
});
