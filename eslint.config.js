// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

/**
 * Sources of nondeterminism banned in src/engine and src/scenarios (ARCHITECTURE.md,
 * "Determinism contract"). Transcendental Math functions differ by an ulp between V8 builds,
 * so replays would diverge between Node and Chromium; the engine's detMath replaces them.
 */
const bannedMath = [
  'random',
  'log',
  'log1p',
  'log2',
  'log10',
  'exp',
  'expm1',
  'pow',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'atan2',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'cbrt',
  'hypot',
].map((property) => ({
  object: 'Math',
  property,
  message: `Math.${property} is nondeterministic across engines: use the engine's detMath or rng streams.`,
}));

const bannedGlobals = [
  'Date',
  'performance',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'queueMicrotask',
  'requestAnimationFrame',
  'crypto',
  'fetch',
  'Worker',
  'process',
  'window',
  'document',
  'self',
].map((name) => ({
  name,
  message: `${name} is a source of nondeterminism or a platform global: engine and scenarios run on simulated time only.`,
}));

const determinismSyntax = [
  {
    selector: "BinaryExpression[operator='**']",
    message: '`**` is Math.pow underneath and may differ across engines: use detMath.',
  },
  {
    selector: "AssignmentExpression[operator='**=']",
    message: '`**=` is Math.pow underneath and may differ across engines: use detMath.',
  },
  {
    selector: "CallExpression[callee.property.name='sort'][arguments.length=0]",
    message: 'Sort only with a total comparator, never the default string order.',
  },
];

/**
 * Ways a string becomes markup (issue 8: share links, run files and URLs are untrusted, and must
 * reach the page as text only). React text and attributes are escaped; these bypass that.
 */
const htmlSinkSyntax = [
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
    message: 'Render text, not HTML: strings here may come from a share link.',
  },
  {
    selector:
      'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
    message: 'Set textContent (or render with React), never innerHTML/outerHTML.',
  },
  {
    selector:
      'CallExpression[callee.property.name=/^(insertAdjacentHTML|setHTMLUnsafe|createContextualFragment)$/]',
    message: 'This parses a string as HTML: build elements or set textContent instead.',
  },
  {
    selector:
      "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]",
    message: 'document.write parses a string as HTML: build elements or set textContent instead.',
  },
  {
    selector: "CallExpression[callee.property.name='html']",
    message: "d3's .html() parses markup: use .text() instead.",
  },
];

/** @param {string[]} folders */
const forbidFolders = (folders) =>
  folders.map((folder) => ({
    group: [`**/${folder}/**`, `**/${folder}`],
    message: `Imports point one way (ARCHITECTURE.md): this layer may not import from src/${folder}.`,
  }));

const uiOnlyPackages = [
  'react',
  'react-dom',
  'react-dom/*',
  'zustand',
  'zustand/*',
  'immer',
  'd3*',
];

export default defineConfig([
  globalIgnores([
    'dist',
    // Per-person build directories from `PW_OUT_DIR=dist-<name>` Playwright runs.
    'dist-*',
    'coverage',
    'reports',
    'playwright-report',
    'test-results',
    'node_modules',
  ]),
  {
    files: ['**/*.{ts,tsx}'],
    extends: [
      js.configs.recommended,
      tseslint.configs.strictTypeChecked,
      reactHooks.configs.flat.recommended,
      reactRefresh.configs.vite,
    ],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', ...htmlSinkSyntax] },
  },
  {
    files: ['src/engine/**/*.ts', 'src/scenarios/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-properties': ['error', ...bannedMath],
      'no-restricted-globals': ['error', ...bannedGlobals],
      // Repeats the HTML sinks: a later rule setting replaces an earlier one, it does not add.
      'no-restricted-syntax': ['error', ...determinismSyntax, ...htmlSinkSyntax],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['scenarios', 'worker', 'ui', 'cli']),
            {
              group: [...uiOnlyPackages, 'xstate', 'node:*'],
              message: 'The engine is pure TypeScript with no dependencies.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/scenarios/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['worker', 'ui', 'cli']),
            {
              group: [...uiOnlyPackages, 'node:*'],
              message: 'Scenarios run on the engine API only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['ui', 'cli', 'explore', 'shrink', 'embed', 'offline']),
            { group: uiOnlyPackages, message: 'The worker has no UI.' },
          ],
        },
      ],
    },
  },
  {
    // Shrinking failing runs: logic the shrink worker runs, so no UI, no CLI and no Node APIs.
    files: ['src/shrink/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['ui', 'cli', 'explore', 'embed']),
            {
              group: [...uiOnlyPackages, 'node:*'],
              message: 'Shrinking runs in a worker: no UI, no Node.',
            },
          ],
        },
      ],
    },
  },
  {
    // Consistency checkers: a verdict must be the same in Node and Chromium, so the engine's
    // determinism rules apply; a pure library the worker, CLI and app can all import.
    files: ['src/consistency/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-properties': ['error', ...bannedMath],
      'no-restricted-globals': ['error', ...bannedGlobals],
      'no-restricted-syntax': ['error', ...determinismSyntax, ...htmlSinkSyntax],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['ui', 'worker', 'scenarios', 'cli', 'engine']),
            {
              group: [...uiOnlyPackages, 'node:*'],
              message: 'The checkers are plain TypeScript: no UI, no Node.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/embed/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}', 'src/ui/testing/**'],
    rules: {
      // The page shows scenarios through their view files; their model code runs in the worker.
      // Type-only imports of an instrument's data are fine: they vanish from the bundle.
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['cli']),
            {
              // Files, not the folders (a file in an excluded folder cannot be let back in).
              group: [
                '**/scenarios/*.ts',
                '**/scenarios/*/*',
                '!**/scenarios/viewHints.ts',
                '!**/scenarios/viewRegistry.ts',
                '!**/scenarios/*/view.ts',
                // An instrument module is the data contract between a scenario's reading (in the
                // worker) and its drawing (on the page), and the drawing's few helpers.
                '!**/scenarios/*/instrument.ts',
              ],
              allowTypeImports: true,
              message:
                'The page imports only scenarios’ view files; their model runs in the worker.',
            },
          ],
        },
      ],
    },
  },
  {
    // The embed is small and framed by other sites: no panels, charts, compare or tools.
    files: ['src/embed/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['cli', 'compare', 'charts', 'explore', 'shrink']),
            {
              // The narration's pacing is the one panel helper the embed shares with the app.
              group: [
                '**/panels/*',
                '!**/panels/narrationPace.ts',
                '!**/panels/usePacedCaption.ts',
              ],
              message: 'The embed stays small: no panels.',
            },
          ],
        },
      ],
    },
  },
  {
    // Seed exploration: pure logic and its worker entry; the page side is src/ui/explore.
    files: ['src/explore/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['ui', 'cli', 'shrink', 'embed']),
            {
              group: [...uiOnlyPackages, 'node:*'],
              message: 'Exploring runs in workers: no UI, no Node.',
            },
          ],
        },
      ],
    },
  },
  {
    // Experiments: sweeps whose numbers must be the same in the CLI, a worker and a test, so
    // the engine's determinism rules apply. Scenarios are run through the worker's catalogue
    // (never the registry directly); a scenario's own pure functions and types may be imported.
    files: ['src/experiments/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-properties': ['error', ...bannedMath],
      'no-restricted-globals': ['error', ...bannedGlobals],
      'no-restricted-syntax': ['error', ...determinismSyntax, ...htmlSinkSyntax],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['ui', 'cli', 'explore', 'shrink', 'embed', 'offline']),
            {
              group: ['**/scenarios/registry.ts'],
              message: 'Experiments load scenarios through the worker catalogue, as the CLI does.',
            },
            {
              group: [...uiOnlyPackages, 'node:*'],
              message: 'Experiments run in workers and the CLI alike: no UI, no Node.',
            },
          ],
        },
      ],
    },
  },
  {
    // The exhaustive search: its states, counts and schedules must be the same on every run
    // and engine, so the engine's determinism rules apply. It drives the engine and nothing
    // else: scenarios come in as models, links and printing are the CLI's.
    files: ['src/search/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-properties': ['error', ...bannedMath],
      'no-restricted-globals': ['error', ...bannedGlobals],
      'no-restricted-syntax': ['error', ...determinismSyntax, ...htmlSinkSyntax],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders([
              'scenarios',
              'worker',
              'ui',
              'cli',
              'explore',
              'shrink',
              'embed',
              'offline',
              'experiments',
            ]),
            {
              group: [...uiOnlyPackages, 'xstate', 'node:*'],
              message: 'The search is plain TypeScript on the engine: no UI, no Node.',
            },
          ],
        },
      ],
    },
  },
  {
    // The command line: Node is fine, the page is not.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['ui', 'embed', 'offline', 'explore']),
            { group: uiOnlyPackages, message: 'The CLI has no UI.' },
          ],
        },
      ],
    },
  },
  {
    // The service worker and its helpers stand alone: they cache files, nothing else.
    files: ['src/offline/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidFolders(['engine', 'scenarios', 'worker', 'ui', 'cli', 'explore', 'shrink']),
            { group: [...uiOnlyPackages, 'node:*'], message: 'The service worker has no UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.worker.ts'],
    languageOptions: { globals: globals.worker },
  },
  {
    files: [
      '*.config.{ts,js}',
      'e2e/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.{ts,mjs}',
      'src/cli/**/*.ts',
      '**/*.test.ts',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.{js,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
]);
