// Child process for the run-lock tests: takes the lock of the run folder argv[2], prints
// "locked" (or "refused <pid>"), then does what stdin asks: "exit" calls process.exit(3) with the
// lock held (the path a second Ctrl-C takes), "release" releases it and ends normally.
import { createInterface } from 'node:readline';
import { lockRun, RunLockedError } from '../run-lock';

try {
  const lock = await lockRun(process.argv[2]!);
  process.stdout.write(`locked${lock.staleHolder ? ` over ${lock.staleHolder.pid}` : ''}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'exit') process.exit(3);
    if (line === 'release') {
      await lock.release();
      break;
    }
  }
} catch (e) {
  if (!(e instanceof RunLockedError)) throw e;
  process.stdout.write(`refused ${e.holder.pid}\n`);
}
