// Lint in the usual TypeScript way: ESLint's recommended rules plus typescript-eslint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'dist/', 'imports/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Barrel imports of the prebuilt providers cost seconds per process (DESIGN.md): deep imports only.
      'no-restricted-imports': ['error', {
        paths: [
          { name: '@cdktf/provider-aws', message: 'Import from @cdktf/provider-aws/lib/<resource> instead.' },
          { name: '@cdktf/provider-kubernetes', message: 'Import from @cdktf/provider-kubernetes/lib/<resource> instead.' },
          { name: '@cdktf/provider-helm', message: 'Import from @cdktf/provider-helm/lib/<resource> instead.' },
        ],
      }],
    },
  },
  {
    // Tests poke at synthesised JSON of arbitrary shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
);
