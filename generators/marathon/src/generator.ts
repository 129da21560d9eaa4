import { compare, resolve } from '@infra/model';
import { FileMap, stableJson, type Generator } from '@infra/render';
import { renderApp } from './app-definition';
import { checkMarathon } from './check';
import { appFilePath } from './names';

/**
 * One file per app, `marathon/<app id path>.json`, each the complete app for
 * `PUT /v2/apps/{id}?partialUpdate=false`. Never a group file: a group PUT stops every app
 * missing from it.
 */
export const marathonGenerator: Generator = {
  name: 'marathon',
  check: (env) => checkMarathon(env),
  generate(env) {
    const agents = resolve(env).agents;
    const files = new FileMap();
    // Sorted so that even the map's iteration order does not follow the definition's.
    for (const app of [...env.apps].sort((a, b) => compare(a.id, b.id))) files.set(appFilePath(app.id), stableJson(renderApp(env, app, agents)));
    return files;
  },
};
