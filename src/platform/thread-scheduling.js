/**
 * Moves the calling thread to another Linux scheduling policy, for the worker
 * threads that must yield to the event loop. Plain JavaScript, like the
 * workers that require it.
 *
 * - `idle` (SCHED_IDLE): runs only on a core that nothing else wants.
 * - `batch` (SCHED_BATCH): keeps its fair share by nice value, but when it
 *   wakes it never preempts the thread running on that core. The event loop
 *   wakes such a thread with every message it sends; under SCHED_OTHER the
 *   kernel often puts the woken thread on the event loop's own core and lets
 *   it run first.
 *
 * Linux has no call for this in Node, so it goes through `chrt` (util-linux).
 * Elsewhere, or without `chrt`, the thread keeps its policy.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { readlinkSync } = require('node:fs');

/** @param {'idle' | 'batch'} policy @returns {boolean} whether the policy was set */
function setOwnSchedulingPolicy(policy) {
  try {
    // /proc/thread-self links to /proc/<pid>/task/<this thread's id>.
    const threadId = readlinkSync('/proc/thread-self').split('/').pop();
    execFileSync('chrt', [`--${policy}`, '--pid', '0', threadId], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

module.exports = { setOwnSchedulingPolicy };
