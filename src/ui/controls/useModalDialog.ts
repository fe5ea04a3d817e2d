import { type RefObject, useEffect, useRef } from 'react';

/**
 * Opens a native <dialog> as a modal while `isOpen` (the page behind it inert), puts the focus
 * where `focusFirst` says, and on closing gives it back to whatever had it before: that is only
 * possible once the dialog is gone, since the page cannot take focus while it is open.
 */
export function useModalDialog(
  dialog: RefObject<HTMLDialogElement | null>,
  isOpen: boolean,
  focusFirst: (element: HTMLDialogElement) => void,
): void {
  // The first one given is kept: it only reads refs and the dialog, which it is handed.
  const focus = useRef(focusFirst);
  useEffect(() => {
    const element = dialog.current;
    if (element === null || !isOpen) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    focus.current(element);
    return () => {
      if (element.open) element.close();
      if (opener?.isConnected === true) opener.focus();
    };
  }, [dialog, isOpen]);
}
