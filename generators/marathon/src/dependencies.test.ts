import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependsOnApp, type MarathonApp } from '@infra/model';
import { findCycles } from './dependencies';

const app = (id: string, ...deps: string[]): MarathonApp => ({
  id, image: 'x/y:1', runtime: 'go', cpus: 1, mem: 64, disk: 0, instances: 1, ports: [], dependsOn: deps.map(dependsOnApp),
});

test('no cycles in a chain or a diamond', () => {
  assert.equal(findCycles([app('/a', '/b', '/c'), app('/b', '/d'), app('/c', '/d'), app('/d')]), []);
});

test('a cycle is named from its smallest id, whatever the definition order', () => {
  const apps = [app('/c', '/a'), app('/b', '/c'), app('/a', '/b'), app('/x', '/a')];
  assert.equal(findCycles(apps), [['/a', '/b', '/c']]);
  assert.equal(findCycles([...apps].reverse()), [['/a', '/b', '/c']]);
});

test('a self-dependency and two separate cycles', () => {
  assert.equal(findCycles([app('/s', '/s'), app('/p', '/q'), app('/q', '/p')]), [['/p', '/q'], ['/s']]);
});

test('dependencies on apps that do not exist are not cycles', () => {
  assert.equal(findCycles([app('/a', '/missing')]), []);
});

test.run();
