import { configs as n8nCommunityNodes } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

// n8n's community-node rules. This package uses `recommendedWithoutN8nCloudSupport`: it needs runtime
// dependencies (@alicloud/openapi-util, Alibaba's signing library; p-map, p-retry and Bottleneck for
// concurrency, retries and the rate cap), which n8n Cloud's verified-node programme does not allow, so the
// Cloud-only rules (restricted globals/imports) do not apply. Self-hosted n8n installs the package with its
// dependencies as usual.
export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.build/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		languageOptions: { parser: tseslint.parser },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts', 'utils/**/*.ts', 'package.json'],
		...n8nCommunityNodes.recommendedWithoutN8nCloudSupport,
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		rules: {
			// Deliberately off: the credential signs requests with Alibaba's own signing library
			// (@alicloud/openapi-util) rather than a hand-written copy, and the node uses well-kept libraries for
			// concurrency, retries and the rate cap: runtime dependencies by design. The rule exists for n8n Cloud
			// verification, which this package does not target.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['test/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
	},
);
