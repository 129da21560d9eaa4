import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareGolden } from '@infra/render/testing';
import { cloudInitGenerator } from './index';
import { everyRole, singleMasterAws } from './testing/fixtures';

// Committed expected output per named case; UPDATE_GOLDEN=1 rewrites it (review the diff).
const ctx = { environment: () => undefined };
const CASES = { 'every-role': everyRole, 'single-master-aws': singleMasterAws };

for (const [name, build] of Object.entries(CASES)) {
  test(`golden: ${name}`, () => {
    const env = build();
    assert.equal(cloudInitGenerator.check!(env, ctx), []);
    assert.equal(compareGolden(path.join(__dirname, '__golden__', name), cloudInitGenerator.generate(env, ctx)), []);
  });
}

test.run();
