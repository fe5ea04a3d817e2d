import { createContext, useContext } from 'react';
import type { SimController } from './controller.ts';

/** The page's one SimController, provided by App. */
export const ControllerContext = createContext<SimController | null>(null);

/** The SimController; components call its methods for every user action. */
export function useController(): SimController {
  const controller = useContext(ControllerContext);
  if (controller === null) throw new Error('useController is used outside <ControllerContext>.');
  return controller;
}
