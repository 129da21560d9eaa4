import { marathonDiff } from '@infra/generator-marathon';
import { terraformDiff } from '@infra/generator-terraform';
import type { EnvironmentDiff, Tree } from '@infra/render';
import { diffEnvironment } from '@infra/review';

// The reviewed diff of two rendered trees, as `infra diff` computes it: libs/review through the
// kinds' own pure diffs (test support may compose them; apply itself never imports review or a
// kind: in production the cli hands apply this diff). Terraform and Marathon are what apply reads
// from it; Hadoop and patches it reads from the trees.
export function reviewedDiff(env: string, base: Tree, target: Tree): EnvironmentDiff {
  return diffEnvironment(env, base, target, [terraformDiff, marathonDiff]);
}
