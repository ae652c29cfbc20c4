/**
 * The database files this process has open through a SqliteStore, with how many connections each. A
 * check that reads the -shm or the -wal with `fs` must know it: closing any file descriptor of a file
 * drops every POSIX lock this process holds on it, including those of its own SQLite connections.
 * Module state, but never shared beyond this module: nothing else can change it.
 */
const connections = new Map<string, number>();

export function noteOpened(file: string): void {
  connections.set(file, (connections.get(file) ?? 0) + 1);
}

export function noteClosed(file: string): void {
  const count = (connections.get(file) ?? 0) - 1;
  if (count > 0) connections.set(file, count);
  else connections.delete(file);
}

export function isOpenInThisProcess(file: string): boolean {
  return connections.has(file);
}
