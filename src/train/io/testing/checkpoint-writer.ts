// Child process for the kill -9 test: resumes from the checkpoint at argv[2] (if any) and writes
// ever-newer ones until killed, announcing each write before it starts. Every tensor value equals
// the step, so a reader can tell a torn write from a complete one.
import { readCheckpoint, writeCheckpoint } from '../checkpoint';

const path = process.argv[2]!;
const size = Number(process.argv[3] ?? 2_000_000);
const start = await readCheckpoint(path).then(
  (c) => (c.meta.step as number) + 1,
  () => 1,
);
for (let step = start; ; step++) {
  const fill = () => new Float32Array(size).fill(step);
  process.stdout.write(`writing ${step}\n`);
  await writeCheckpoint(path, {
    meta: { step, config: { note: 'kill test' } },
    tensors: {
      params: { shape: [size], data: fill() },
      adamM: { shape: [size / 4, 4], data: fill() },
    },
  });
}
