// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { textScaleKey, usePresentationStore } from '../state/presentation.ts';
import { usePresentationEffects } from './presenter.ts';
import { ViewControls } from './ViewControls.tsx';

function Harness() {
  usePresentationEffects();
  return <ViewControls />;
}

afterEach(() => {
  cleanup();
  localStorage.clear();
  usePresentationStore.setState({ isPresenting: false, textScale: 1 });
  document.documentElement.className = '';
});

describe('ViewControls', () => {
  it('turns presenter mode on and off, on the document element', () => {
    render(<Harness />);
    const present = screen.getByRole('button', { name: 'Present' });
    expect(present.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(present);
    expect(present.getAttribute('aria-pressed')).toBe('true');
    expect(document.documentElement.classList.contains('is-presenting')).toBe(true);
    fireEvent.click(present);
    expect(document.documentElement.classList.contains('is-presenting')).toBe(false);
  });

  it('changes the text size in steps, keeps it, and disables a step past the end', () => {
    render(<Harness />);
    const larger = screen.getByRole('button', { name: 'Larger text' });
    const smaller = screen.getByRole('button', { name: 'Smaller text' });
    fireEvent.click(larger);
    expect(screen.getByRole('group', { name: 'Text size 115%' })).toBeTruthy();
    expect(document.documentElement.style.getPropertyValue('--text-scale')).toBe('1.15');
    expect(localStorage.getItem(textScaleKey)).toBe('1.15');
    fireEvent.click(smaller);
    fireEvent.click(smaller);
    expect(screen.getByRole('group', { name: 'Text size 90%' })).toBeTruthy();
    expect((smaller as HTMLButtonElement).disabled).toBe(true);
  });
});
