import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** src/core imports no platform package and nothing of ours outside itself (`up` leaves it). */
const coreImports = (files, up) => ({
  files: [files],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['react', 'react-dom', 'onnxruntime-*', 'zustand', 'node:*', 'fs', 'path'],
            message: 'src/core is pure and isomorphic.',
          },
          { group: [up], message: 'src/core imports nothing outside itself.' },
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', 'test-results', 'playwright-report', '.cache'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  // src/core is pure and isomorphic; .dependency-cruiser.mjs checks the layers for every folder,
  // this gives the same answer in the editor.
  coreImports('src/core/*.ts', '../*'),
  coreImports('src/core/solvers/*.ts', '../../*'),
);
