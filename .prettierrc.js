// The settings of the `@n8n/node-cli` template (packages/@n8n/node-cli/src/template/templates/shared/default/
// .prettierrc.js in n8n-io/n8n, as published in @n8n/node-cli 0.48.3), which scaffolds new community nodes.
// Applied to the package (nodes/, credentials/): `npm run format` writes, `npm run lint` checks.
// Options: https://prettier.io/docs/options
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 100,
};
