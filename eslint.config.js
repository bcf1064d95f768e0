// `npm run lint` (part of `npm test`): typescript-eslint's recommended type-checked rules
// and an import-cycle rule over src/. The layering itself (which folder may import which)
// is checked by test/architecture.test.ts from the same import graph tsc resolves.
// `--cache` (node_modules/.cache/eslint/) keys on each file's text, so a type change in one
// file can leave another's type-aware result stale locally; CI starts without the cache.
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

export default tseslint.config({
  files: ['src/**/*.ts', 'src/**/*.tsx'],
  extends: [tseslint.configs.recommendedTypeChecked],
  languageOptions: {
    parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
  },
  plugins: { 'import-x': importX },
  settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
  linterOptions: { reportUnusedDisableDirectives: 'error' },
  rules: {
    'import-x/no-cycle': 'error',
    // The expression parser and evaluator throw their own ParseError and Failure (no stack)
    // and catch them at their entry points.
    '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'file', name: 'Failure', path: 'src/expr/evaluate.ts' }, { from: 'file', name: 'ParseError', path: 'src/expr/parser.ts' }] }],
    // `const { target: _ignored, ...rest }` is how a field is dropped from a copy.
    '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    // Interface methods (Interactor, ProcessHost, steps) are async so a throw becomes a rejection.
    '@typescript-eslint/require-await': 'off',
    // Facts and YAML values are JSON-value unions (FactValue, unknown) stringified on purpose.
    '@typescript-eslint/no-base-to-string': 'off',
    // Likewise: messages interpolate facts a parser set to numbers or strings a line above.
    '@typescript-eslint/restrict-template-expressions': 'off',
  },
});
