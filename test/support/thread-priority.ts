import { existsSync, readdirSync, readFileSync } from 'node:fs';

export const SCHED_OTHER = 0;
export const SCHED_BATCH = 3;
export const SCHED_IDLE = 5;

/** The nice value and scheduling policy in a thread's stat file (Linux, proc(5)). */
export const priorityIn = (statFile: string) => {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1].split(' ');
  // Fields 19 and 41 of stat; the first of these is field 3, after the id and the name.
  return { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
};

/** Every thread of a process, by default this one. */
export const threadPriorities = (pid: number | 'self' = 'self') =>
  readdirSync(`/proc/${pid}/task`).map((tid) => priorityIn(`/proc/${pid}/task/${tid}/stat`));

/** The calling thread. */
export const ownPriority = () => priorityIn('/proc/thread-self/stat');

/** Thread priorities are read from /proc: Linux only. */
export const onLinux = existsSync('/proc/thread-self/stat') ? it : it.skip;
