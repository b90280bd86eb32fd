const { src, dest } = require('gulp');

/** Copies the node and credential icons next to the compiled code (dist/icons), where their `file:` paths point. */
function buildIcons() {
	return src('icons/*.{png,svg}').pipe(dest('dist/icons'));
}

/** Copies the codex files (*.node.json) next to the compiled nodes. */
function buildCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

/** The package's (empty) entry point, so that the published package holds only dist/. */
function buildEntry() {
	return src('index.js').pipe(dest('dist'));
}

exports['build:icons'] = async function buildAssets() {
	await Promise.all([
		new Promise((resolve, reject) => buildEntry().on('end', resolve).on('error', reject)),
		new Promise((resolve, reject) => buildIcons().on('end', resolve).on('error', reject)),
		new Promise((resolve, reject) => buildCodex().on('end', resolve).on('error', reject)),
	]);
};
