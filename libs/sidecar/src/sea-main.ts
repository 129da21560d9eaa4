// The single executable's entry (bundled by scripts/build.js): in a Node single executable
// application argv[0] and argv[1] are both the executable, so the arguments start at 2.
//
// V8 runs without its optimizing compiler (TurboFan): the sidecar's JavaScript is a few calls
// per connection and per chunk (the bytes move in libuv), so interpreted and baseline code is
// fast enough (bench/sidecar.js: ~30% more CPU per request, still within the throughput and
// latency targets), while TurboFan's code pages,
// its compile jobs' memory and the optimized code cost ~6 MiB of RSS (measured with
// /proc/PID/smaps). Why here and not in NODE_OPTIONS: Node 20's single executables take no
// execArgv, Node refuses --no-opt in NODE_OPTIONS, and NODE_OPTIONS in the container's
// environment would reach the app too when the app is a Node program. --no-opt is read when
// V8 decides to optimize a function, so setting it before the sidecar's code loads is in time.
import { setFlagsFromString } from 'node:v8';

// SIDECAR_V8_FLAGS replaces them (e.g. `--opt`: ~30% less CPU per request for ~6 MiB more RSS).
export const V8_FLAGS = '--no-opt';
setFlagsFromString(process.env.SIDECAR_V8_FLAGS ?? V8_FLAGS);

// Loaded after the flags are set (an import would be hoisted above them).
// eslint-disable-next-line @typescript-eslint/no-require-imports
void (require('./main') as typeof import('./main')).main(process.argv.slice(2)).then((code) => process.exit(code));
