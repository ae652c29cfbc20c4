/**
 * A command as it would run for an ordinary user. PostgreSQL refuses to run as root, and root's
 * permission override would make a read-only dir writable. So as root the command runs in a new user
 * namespace that maps no uid (`unshare --user`): there it is not uid 0 and has no override, yet it
 * still reaches the files root owns through their owner bits, wherever the checkout lies. Any other
 * user runs the command as it is.
 */
export function withoutRootPowers(command: string, args: readonly string[]): { command: string; args: string[] } {
  if (process.getuid?.() !== 0) return { command, args: [...args] };
  return { command: 'unshare', args: ['--user', command, ...args] };
}
