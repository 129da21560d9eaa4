import type { Environment, Problem } from '@infra/model';
import { checkSchema } from './schema-check';
import { checkSemantics } from './semantic';

/**
 * Every problem of a definition at once: schema first (types, patterns), then the rules that
 * need the whole environment. Semantic rules run unless the definition's shape is broken, where
 * they could only produce noise.
 */
export function validateEnvironment(env: Environment, name = env?.name ?? '?'): Problem[] {
  const schema = checkSchema(env, name);
  return schema.shapeOk ? [...schema.problems, ...checkSemantics(env)] : schema.problems;
}

export { checkSchema } from './schema-check';
export { checkSemantics } from './semantic';
