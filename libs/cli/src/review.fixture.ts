// Test support for the review's golden cases: a real definition, edited the way an
// operator would, validated and rendered in memory through the real generators (the cli is the
// only place that may put generators and review together).
import type { Environment } from '@infra/model';
import { checkGenerators, renderTree, type Tree } from '@infra/render';
import { validateEnvironment } from '@infra/validate';
import { GENERATORS } from './generators';

/** A deep copy of a definition (the test imports the real one) with `edit` applied. */
export function edited(definition: Environment, edit: (env: Environment) => void): Environment {
  const env = structuredClone(definition);
  edit(env);
  return env;
}

/** The rendered tree of `env` as rendered/<env>/ would hold it; throws on any problem. */
export function rendered(env: Environment, others: Environment[] = []): Tree {
  const byName = new Map([env, ...others].map((e) => [e.name, e]));
  const ctx = { environment: (n: string) => byName.get(n) };
  const problems = [...validateEnvironment(env), ...checkGenerators(env, GENERATORS, ctx)];
  if (problems.length) throw new Error(`the edited definition is invalid:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return new Map([...renderTree(env, GENERATORS, ctx)].map(([p, f]) => [p, f.content]));
}

/** The stemcell moved to `version`, built and listed with its images as an operator would. */
export function bumpStemcell(env: Environment, version = '3468.22'): void {
  env.stemcell = {
    ...env.stemcell, version,
    images: { ...env.stemcell.images, [version]: { vsphere: { template: `templates/ubuntu-trusty-hardened-${version}` }, aws: { 'us-east-2': 'ami-0b4e1d2c3a5f67890' } } },
  };
}
