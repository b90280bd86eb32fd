// n8n loads the nodes and credentials listed in package.json's "n8n" block (dist/...); this file only
// exists because package.json names a "main". It loads nothing, so requiring the package stays cheap.
module.exports = {};
