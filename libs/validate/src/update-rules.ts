// The rules of a group's `update` block the schema cannot say (its whole numbers and minimums
// are the schema's): Mesos masters are replaced one at a time, whatever the block asks, because
// two masters down at once lose the ZooKeeper quorum of three.
import { hostNames, type Environment, type Problem } from '@infra/model';

export function checkUpdate(env: Environment): Problem[] {
  const problems: Problem[] = [];
  for (const group of env.hostGroups) {
    const n = group.update?.maxInFlight;
    if (group.role === 'mesos-master' && typeof n === 'number' && n !== 1) {
      const size = Array.isArray(group.hosts) || typeof group.hosts === 'number' ? hostNames(group).length : 0;
      problems.push({
        env: env.name, path: `hostGroups/${group.name}/update/maxInFlight`,
        message: `${n} would replace ${n} of the ${size} Mesos masters at once, losing the ZooKeeper quorum: masters are replaced one at a time; use 1 or leave maxInFlight out`,
      });
    }
  }
  return problems;
}
