import {
  Suspense,
  lazy,
  useEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type KeyboardEvent,
} from 'react';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import './ExportMenu.css';

/**
 * The actions, fetched on first use: they bring the run-file schema (valibot) and the picture
 * code, which the page does not need until someone exports or opens a file.
 */
const actions = () => import('./exportActions.ts');

/** The animation export (its dialog, then its encoders) is fetched when first opened. */
const AnimationDialog = lazy(async () => ({
  default: (await import('../export/AnimationDialog.tsx')).AnimationDialog,
}));

/** One entry of the menu: its label, what it says while busy, and what it does. */
interface MenuItem {
  readonly label: string;
  readonly busyText: string;
  readonly act: () => Promise<void> | void;
}

/**
 * The toolbar's export menu: a disclosure button that shows buttons to download the run file,
 * the trace and the view (SVG or PNG), and to open a run file (through a file input). Escape
 * or a click outside closes it; a long export says what it is doing in a status line.
 */
export function ExportMenu() {
  const controller = useController();
  const hasRun = useSimStore((state) => state.view !== null);
  const [isOpen, setIsOpen] = useState(false);
  const [busyText, setBusyText] = useState('');
  const [isAnimationOpen, setAnimationOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const firstItemRef = useRef<HTMLButtonElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    firstItemRef.current?.focus();
    const closeOutside = (event: PointerEvent) => {
      if (!(event.target instanceof Node) || rootRef.current?.contains(event.target) !== true)
        setIsOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => {
      document.removeEventListener('pointerdown', closeOutside);
    };
  }, [isOpen]);

  const run = async (item: MenuItem) => {
    setIsOpen(false);
    setBusyText(item.busyText);
    try {
      await item.act();
    } finally {
      setBusyText('');
    }
  };

  const items: readonly MenuItem[] = [
    {
      label: 'Download run (JSON)',
      busyText: 'Preparing the run file…',
      act: async () => {
        await (await actions()).downloadRunFile(controller);
      },
    },
    {
      label: 'Download trace (JSON lines)',
      busyText: 'Replaying the run for its trace…',
      act: async () => {
        await (await actions()).downloadTrace(controller);
      },
    },
    {
      label: 'Download view as SVG',
      busyText: '',
      act: async () => {
        (await actions()).downloadViewSvg();
      },
    },
    {
      label: 'Download view as PNG',
      busyText: 'Drawing the picture…',
      act: async () => {
        await (await actions()).downloadViewPng();
      },
    },
  ];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape' || !isOpen) return;
    event.stopPropagation();
    setIsOpen(false);
    toggleRef.current?.focus();
  };

  const onFileChosen = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again opens it again.
    input.value = '';
    if (file === undefined) return;
    void run({
      label: 'Open run file…',
      busyText: `Replaying ${file.name}…`,
      act: async () => {
        await (await actions()).openRunFile(controller, file);
      },
    });
  };

  return (
    <div className="toolbar-group export-menu" ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={toggleRef}
        type="button"
        aria-expanded={isOpen}
        aria-controls={panelId}
        disabled={!hasRun || busyText !== ''}
        onClick={() => {
          setIsOpen((open) => !open);
        }}
      >
        Export / open
      </button>
      <div id={panelId} className="export-menu-panel" hidden={!isOpen}>
        {items.map((item, index) => (
          <button
            key={item.label}
            ref={index === 0 ? firstItemRef : undefined}
            type="button"
            onClick={() => {
              void run(item);
            }}
          >
            {item.label}
          </button>
        ))}
        <button
          type="button"
          onClick={() => {
            setIsOpen(false);
            setAnimationOpen(true);
          }}
        >
          Animation…
        </button>
        <button
          type="button"
          onClick={() => {
            setIsOpen(false);
            fileRef.current?.click();
          }}
        >
          Open run file…
        </button>
      </div>
      <input
        ref={fileRef}
        type="file"
        accept=".json,application/json"
        aria-label="Run file to open"
        hidden
        onChange={onFileChosen}
      />
      <span className="export-status" role="status">
        {busyText}
      </span>
      {isAnimationOpen ? (
        <Suspense fallback={null}>
          <AnimationDialog
            onClose={() => {
              setAnimationOpen(false);
            }}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
