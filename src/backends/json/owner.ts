import { LOCAL_HOST } from './file-names.js';
import { errorCode } from './io.js';

/**
 * Whether the process that wrote a journal or took a lock may still be running. Only a process on this
 * host can be checked; any other is assumed alive. A wrong "dead" (a pid seen through another pid
 * namespace) is survivable: writers detect that their journal was taken and write the line again.
 */
export function isOwnerAlive(host: string, pid: number): boolean {
  if (host !== LOCAL_HOST || pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) !== 'ESRCH';
  }
}
