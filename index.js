// The package's entry point (copied to dist/index.js by the build). n8n does not use it: it loads the
// nodes and credentials listed in package.json's "n8n" block. It loads nothing, so requiring the package
// stays cheap.
module.exports = {};
