// The single executable's entry (bundled by scripts/build.js): in a Node single executable
// application argv[0] and argv[1] are both the executable, so the arguments start at 2.
import { main } from './main';

void main(process.argv.slice(2)).then((code) => process.exit(code));
