import { constants } from 'node:os';

/** Signals closer together than this are one signal delivered twice (see saveOnSignals). */
const SECOND_PRESS_MS = 1000;

/** The signals that stop a run with a checkpoint, and how the message names each. */
const STOP_SIGNALS = {
  SIGINT: 'Ctrl-C',
  SIGTERM: 'SIGTERM',
  SIGHUP: 'SIGHUP (terminal closed)',
} as const;

/**
 * Makes Ctrl-C, SIGTERM (kill, systemd, docker stop) and SIGHUP (the terminal closed) stop the run
 * after the current step with `checkpoint` saved; returns whether a stop was asked for.
 *
 * One Ctrl-C often arrives twice: the terminal signals the whole process group and npm forwards
 * its own copy. So a repeat counts as a second press only after a pause (and a step that blocks
 * the event loop delivers both copies at once, which reads as one press: the safe side); a second
 * press quits without saving, with 128 + the signal's number.
 *
 * After a hangup, writes to the terminal fail (EIO), and to a closed pipe EPIPE: those are
 * dropped, so that a message nobody can read does not crash the run before it saves.
 */
export function saveOnSignals(checkpoint: string): () => boolean {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EIO' && e.code !== 'EPIPE') throw e;
    });
  }
  let stopAt: number | null = null;
  for (const [signal, name] of Object.entries(STOP_SIGNALS)) {
    process.on(signal, () => {
      const now = Date.now();
      if (stopAt === null) {
        stopAt = now;
        const again = signal === 'SIGINT' ? 'press again' : 'signal again';
        process.stderr.write(
          `\n${name}: saving ${checkpoint} after this step (${again} to quit without saving)\n`,
        );
      } else if (now - stopAt > SECOND_PRESS_MS) {
        process.stderr.write(
          `\nquit without saving this step; ${checkpoint} holds the last checkpoint written\n`,
        );
        process.exit(128 + constants.signals[signal as keyof typeof STOP_SIGNALS]);
      }
    });
  }
  return () => stopAt !== null;
}
