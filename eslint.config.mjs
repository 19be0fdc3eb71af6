// ESLint: a small, type-aware rule set for mistakes the TypeScript compiler lets through (tsc -b already checks
// types, unused locals and parameters, switch fall-through). Run by `npm run lint` and first in `npm test`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', '**/out/**', 'node_modules/**', '.vscode-test/**', 'server/src/service/schema/generated/**', '**/*.js', '**/*.mjs'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      // Types from the programs: test/tsconfig.json (the tests and all of server/src), the client's, and the
      // journey view's page script (a DOM program of its own).
      parserOptions: { project: ['./test/tsconfig.json', './client/tsconfig.json', './client/src/journeyView/webview/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection: an LSP handler or a CLI command fails silently.
      // (node:test's test() returns a promise the runner itself awaits.)
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
      // An async function where a void callback is expected (event handlers, forEach): same loss.
      '@typescript-eslint/no-misused-promises': 'error',
      // Awaiting a value that is not a promise is a sign the call was misread.
      '@typescript-eslint/await-thenable': 'error',
      // Throw Error objects only: the CLI prints their message, the server logs their stack.
      '@typescript-eslint/only-throw-error': 'error',
      // Imports used only as types say so (they vanish from the bundles; the service stays free of runtime cycles).
      // (`typeof import('x')` stays allowed: it types a lazy require.)
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // A require() is a deliberate lazy load (marked where it is) or a mistake for an import.
      '@typescript-eslint/no-require-imports': 'error',
      // A control character in a regular expression is usually a typo; where meant, a comment says so.
      'no-control-regex': 'error',
      // Unused code is a question for the next reader (`_name` marks a deliberately unused one).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `==` converts types; `== null` (null or undefined) is the one idiom kept.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // (A variable that a closure reads before its one assignment stays `let`.)
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // One door (ARCHITECTURE.md): the LSP wiring, the CLI and their handler modules reach the service only through
    // PolicyLanguageService (server/src/service/languageService.ts); types from inside it are allowed.
    files: ['server/src/server.ts', 'server/src/cli.ts', 'server/src/lsp/**/*.ts', 'server/src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\./|\\.\\./)service/(?!languageService$)', allowTypeImports: true, message: 'Call the service through PolicyLanguageService (service/languageService).' }] },
      ],
    },
  },
);
