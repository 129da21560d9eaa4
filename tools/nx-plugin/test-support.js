// Nx plugin: every `<libs|generators>/<project>/src/testing/` folder is a project of its own,
// named `<parent project>/testing` (the name tests import it by) and tagged `type:test-support`.
// Helpers there are imported only by tests; tools/check-deps.js refuses any other import of them,
// reading the edge from the Nx graph.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function parentName(workspaceRoot, projectRoot) {
  for (const file of ['project.json', 'package.json']) {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(workspaceRoot, projectRoot, file), 'utf8'));
      if (json.name) return json.name;
    } catch { /* next */ }
  }
  return projectRoot;
}

const createNodesV2 = [
  '{libs,generators}/*/src/testing/*.ts',
  (files, _options, context) => {
    const seen = new Set();
    const out = [];
    for (const file of files) {
      const root = path.dirname(file).split(path.sep).join('/');
      if (seen.has(root)) continue;
      seen.add(root);
      const parent = root.split('/').slice(0, 2).join('/');
      out.push([file, { projects: { [root]: { root, name: `${parentName(context.workspaceRoot, parent)}/testing`, projectType: 'library', tags: ['type:test-support'], targets: {} } } }]);
    }
    return out;
  },
];

module.exports = { name: 'infra-test-support', createNodesV2 };
