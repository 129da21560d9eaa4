// Golden cases: small environments whose whole output is committed under __golden__/<case>/.
// UPDATE_GOLDEN=1 rewrites them; review the diff before committing. User-data is stubbed so
// these files change only when this generator does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as path from 'node:path';
import type { Environment } from '@infra/model';
import { FileMap } from '@infra/render';
import { compareGolden } from '@infra/render/testing';
import { parityGenerator, terraformGenerator } from './index';
import { cloudInitStub, smallAws, smallVsphere, stubContextOf } from './testing/fixtures';
import { validateRendered } from './testing/reference';


function renderAll(env: Environment, ...others: Environment[]): FileMap {
  const ctx = stubContextOf(cloudInitStub(), env, ...others);
  return new FileMap([...terraformGenerator.generate(env, ctx), ...parityGenerator.generate(env, ctx)]);
}

const CASES: Record<string, () => FileMap> = {
  'vsphere-small': () => renderAll(smallVsphere()),
  'aws-small': () => renderAll(smallAws(), smallVsphere()),
};

for (const [name, render] of Object.entries(CASES)) {
  test(`golden: ${name}`, () => {
    const files = render();
    assert.equal(validateRendered(files), []);
    assert.equal(compareGolden(path.join(__dirname, '__golden__', name), files), []);
  });
}

test.run();
