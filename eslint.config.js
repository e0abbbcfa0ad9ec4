// Layer rules (DEVELOPERS.md): renderer → types of core/api.ts only; electron → core;
// server → core/protocol only; core → nothing above it. Enforced here, not by hope.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'http',
  'net',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      'models/**',
      'test-output/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'core/ is plain Node: no Electron imports.' }],
          patterns: [
            {
              group: ['**/renderer/**', '**/electron/**', '**/server/**'],
              message: 'core/ must not depend on upper layers.',
            },
            { group: ['react', 'react-dom', 'react-dom/*'], message: 'core/ has no UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'renderer/ talks to core only through window.kiosk.' },
          ],
          patterns: [
            {
              group: ['**/core/api', '**/core/api.ts'],
              allowTypeImports: true,
              message: 'renderer/ may import only types from core/api.ts.',
            },
            {
              regex: '(^|/)core/(?!api(\\.ts)?$)',
              message:
                'renderer/ talks to core only through window.kiosk (types from core/api.ts).',
            },
            {
              group: ['**/electron/**', '**/server/**'],
              message: 'renderer/ must not import the shell or the hub.',
            },
            {
              group: ['node:*', ...nodeBuiltins],
              message: 'renderer/ runs in a sandboxed page: no Node modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '**/server/**'],
              message: 'electron/ depends on core only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The hub is a plain server.' }],
          patterns: [
            {
              regex: '(^|/)core/(?!protocol/)',
              message: 'server/ shares only core/protocol/ with the kiosk.',
            },
            {
              group: ['**/renderer/**', '**/electron/**'],
              message: 'server/ must not import the kiosk UI or shell.',
            },
          ],
        },
      ],
    },
  },
);
