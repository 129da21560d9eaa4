// How Hadoop, HBase and ZooKeeper read these files, per ../shared/reference/notes/hadoop-host-files.md
// (paraphrased parser behaviour, no upstream code). The tests read rendered output through these,
// and check them against the Apache examples, so "valid" means "as the daemon would read it".

/** HostsFileReader (dfs.hosts, dfs.hosts.exclude): whitespace-split tokens; a token starting with '#' comments out the rest of the line. */
export function readHostsFile(text: string): string[] {
  const hosts: string[] = [];
  for (const line of text.split('\n')) {
    for (const token of line.trim().split(/\s+/)) {
      if (token.startsWith('#')) break;
      if (token !== '') hosts.push(token);
    }
  }
  return hosts;
}

/** hadoop-functions.sh (workers, non-pdsh path): drop from '#' to end of line, drop empty lines, split on whitespace. */
export function readWorkers(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split(/\s+/));
}

/** HBase regionservers.sh: every whitespace-separated word is a host; nothing is a comment. */
export function readHBaseHostList(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/**
 * TableMapping: lines trimmed; empty and '#' lines skipped; a line that is not exactly two
 * columns is skipped with a warning. Returns the mapping and the lines it would have skipped.
 */
export function readTopologyTable(text: string): { map: Map<string, string>; ignored: string[] } {
  const map = new Map<string, string>();
  const ignored: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cols = line.split(/\s+/);
    if (cols.length !== 2) ignored.push(raw);
    else map.set(cols[0], cols[1]);
  }
  return { map, ignored };
}

/** ZooKeeper myid: the first line, parsed as a whole number (anything else fails the server). */
export function readMyid(text: string): number | undefined {
  const first = text.split('\n')[0];
  return /^\d+$/.test(first) ? Number(first) : undefined;
}
