import { test } from 'uvu';
import * as assert from 'uvu/assert';
import lenexa from '@infra/env-lenexa';
import awsDr from '@infra/env-aws-dr';
import { renderTree, type RenderContext } from '@infra/render';
import { GENERATORS, KINDS } from './generators';

const ctx: RenderContext = { environment: (name) => [lenexa, awsDr].find((e) => e.name === name) };

test('the registry declares who needs whom: terraform and the inventory need cloud-init, nobody else needs anything', () => {
  const needs = Object.fromEntries(KINDS.flatMap((k) => k.generators).filter((g) => g.needs?.length).map((g) => [g.name, [...g.needs!]]));
  assert.equal(needs, { terraform: ['cloud-init'], inventory: ['cloud-init'] });
  assert.ok(KINDS.flatMap((k) => k.generators).find((g) => g.name === 'cloud-init')?.provides, 'cloud-init provides its output');
});

test('the wired generators run cloud-init before the kinds that need it, registry order otherwise', () => {
  assert.equal(GENERATORS.map((g) => g.name), ['cloud-init', 'terraform', 'marathon', 'hadoop', 'patches', 'rollout', 'parity', 'inventory']);
});

test('through the registry, terraform embeds and the inventory shows exactly the user-data cloud-init renders', () => {
  const tree = renderTree(awsDr, GENERATORS, ctx);
  const cloudInit = KINDS.flatMap((k) => k.generators).find((g) => g.name === 'cloud-init')!.provides!;
  const inventory = JSON.parse(tree.get('inventory.json')!.content);
  for (const group of awsDr.hostGroups) {
    assert.is(tree.get(`cloud-init/${group.name}.yaml`)?.content, cloudInit.userData(awsDr, group));
    const hash = cloudInit.userDataHash(awsDr, group);
    assert.ok(tree.get(`terraform/vm-${group.name}.tf.json`)!.content.includes(`"user-data-sha256": "${hash}"`), group.name);
    assert.ok(inventory.servers.filter((s: { group: string }) => s.group === group.name).every((s: { userData: string }) => s.userData === hash), group.name);
  }
});

test.run();
