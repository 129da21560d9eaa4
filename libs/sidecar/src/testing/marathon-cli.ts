// Test support: the loopback Marathon as a command, for trying the sidecar by hand (README,
// "The sidecar"). Apps have health checks; tasks given here start running and healthy.
//
//   node -r tsx/cjs libs/sidecar/src/testing/marathon-cli.ts [--port 8080] \
//     [--app /customers/api[:http[,admin…]]]… [--task /customers/api=127.0.0.1:9001]…
//
// Then move tasks with its control API (curl):
//   POST   /_loopback/tasks        {"appId":"/customers/api","host":"127.0.0.1","ports":[9002],"alive":[true]}
//   DELETE /_loopback/tasks/ID     kill a task (TASK_KILLING, TASK_KILLED)
//   GET    /_loopback/tasks        the tasks and their ids
//   POST   /_loopback/drop-streams cut every event stream
import { LoopbackMarathon } from './marathon';

export function parseCli(argv: readonly string[]): { port: number; apps: { id: string; ports: string[] }[]; tasks: { appId: string; host: string; port: number }[] } | { error: string } {
  let port = 8080;
  const apps: { id: string; ports: string[] }[] = [];
  const tasks: { appId: string; host: string; port: number }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) return { error: `${flag} needs a value` };
    i++;
    if (flag === '--port' && /^\d+$/.test(value)) port = Number(value);
    else if (flag === '--app' && /^\/[^:]+(:[a-z0-9,-]+)?$/.test(value)) {
      const [id, names] = value.split(':');
      apps.push({ id, ports: names ? names.split(',') : ['http'] });
    } else if (flag === '--task' && /^\/[^=]+=[^:]+:\d+$/.test(value)) {
      const [appId, hostPort] = value.split('=');
      const [host, p] = hostPort.split(':');
      if (!apps.some((a) => a.id === appId)) return { error: `--task ${value}: give --app ${appId} before its tasks` };
      tasks.push({ appId, host, port: Number(p) });
    } else return { error: `unknown or malformed: ${flag} ${value}` };
  }
  return { port, apps, tasks };
}

async function main(): Promise<void> {
  const parsed = parseCli(process.argv.slice(2));
  if ('error' in parsed) {
    process.stderr.write(`loopback marathon: ${parsed.error}\nusage: marathon-cli.ts [--port 8080] [--app /id[:port,…]]… [--task /id=host:port]…\n`);
    process.exit(2);
  }
  const m = await new LoopbackMarathon({ port: parsed.port }).start();
  for (const a of parsed.apps) m.addApp({ id: a.id, ports: a.ports, healthChecks: true });
  for (const t of parsed.tasks) {
    const task = m.runTask(t.appId, t.host, [t.port], [true]);
    process.stdout.write(`task ${task.id}: ${t.appId} on ${t.host}:${t.port}\n`);
  }
  process.stdout.write(`loopback marathon listening on ${m.url}\n`);
  const stop = () => void m.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) void main();
