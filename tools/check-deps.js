#!/usr/bin/env node
// Enforces the dependency direction of DESIGN §2 from each Nx project's tags:
//   model ← lib ← generator ← app;  env → model and env only;  nothing imports the app.
// Every import of another project must go through its `@infra/...` name; a relative import that
// climbs out of its project is refused, since it would hide the edge from this check and from Nx.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ALLOWED = {
  'type:model': [],
  'type:lib': ['type:model', 'type:lib'],
  'type:generator': ['type:model', 'type:lib', 'type:generator'],
  'type:env': ['type:model', 'type:env'],
  'type:app': ['type:model', 'type:lib', 'type:generator'],
  // The sidecar runs in app containers, apart from the render side: it imports no project.
  'type:standalone': [],
};

function projects(root) {
  const out = [];
  for (const top of ['libs', 'generators', 'environments']) {
    const dir = path.join(root, top);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name, 'project.json');
      if (!fs.existsSync(file)) continue;
      const p = JSON.parse(fs.readFileSync(file, 'utf8'));
      const tag = (p.tags || []).find((t) => t in ALLOWED);
      out.push({ name: p.name, dir: path.join(dir, name), tag });
    }
  }
  return out;
}

function tsFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath || e.path, e.name))
    .filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
}

function check(root) {
  const all = projects(root);
  const byName = new Map(all.map((p) => [p.name, p]));
  const problems = [];
  for (const p of all) {
    if (!p.tag) { problems.push(`${path.relative(root, p.dir)}/project.json: needs one of the tags ${Object.keys(ALLOWED).join(', ')}`); continue; }
    for (const file of tsFiles(p.dir)) {
      const text = fs.readFileSync(file, 'utf8');
      const rel = path.relative(root, file);
      const isTest = file.endsWith('.test.ts');
      for (const m of text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"]([^'"]+)['"]/g)) {
        const spec = m[1];
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          if (!target.startsWith(p.dir + path.sep)) problems.push(`${rel}: relative import "${spec}" leaves ${p.name}; import its @infra/ name`);
          continue;
        }
        const dep = byName.get(spec.split('/').slice(0, 2).join('/'));
        if (!dep || dep === p) continue;
        // Tests may use test support across projects (e.g. a generator's test loading a real environment).
        if (isTest && dep.tag !== 'type:app') continue;
        if (!ALLOWED[p.tag].includes(dep.tag)) problems.push(`${rel}: ${p.name} (${p.tag}) may not import ${dep.name} (${dep.tag})`);
      }
    }
  }
  return problems;
}

module.exports = { check };

if (require.main === module) {
  const problems = check(path.resolve(__dirname, '..'));
  for (const line of problems) console.error(line);
  if (problems.length) {
    console.error(`${problems.length} import(s) against the dependency direction of DESIGN §2.`);
    process.exit(1);
  }
  console.log('dependency direction: ok');
}
