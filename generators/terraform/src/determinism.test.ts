// Same definition, same bytes: rendered twice, and from shuffled copies of the definition.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import lenexa from '@infra/env-lenexa';
import dr from '@infra/env-aws-dr';
import type { Environment } from '@infra/model';
import { FileMap } from '@infra/render';
import { shuffled } from '@infra/render/testing';
import { parityGenerator, terraformGenerator } from './index';
import { contextOf } from './testing/fixtures';

function renderBoth(prod: Environment, copy: Environment): FileMap {
  const ctx = contextOf(prod, copy);
  const out = new FileMap();
  for (const env of [prod, copy]) {
    for (const gen of [terraformGenerator, parityGenerator]) {
      for (const [file, text] of gen.generate(env, ctx)) out.set(`${env.name}/${file}`, text);
    }
  }
  return out;
}

const same = (a: FileMap, b: FileMap) => {
  assert.equal([...a.keys()], [...b.keys()]);
  for (const [file, text] of a) assert.ok(text === b.get(file), `${file} differs`);
};

test('rendering twice gives identical bytes', () => {
  same(renderBoth(lenexa, dr), renderBoth(lenexa, dr));
});

for (const seed of [1, 7, 42]) {
  test(`a shuffled definition (seed ${seed}) gives identical bytes`, () => {
    same(renderBoth(shuffled(lenexa, seed), shuffled(dr, seed + 1)), renderBoth(lenexa, dr));
  });
}

test('every file ends with exactly one newline and uses LF only', () => {
  for (const [file, text] of renderBoth(lenexa, dr)) {
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), file);
    assert.not.ok(text.includes('\r'), file);
  }
});

test.run();
