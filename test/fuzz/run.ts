// `npm run fuzz -- [seed] [count]`: a long fuzz run (defaults: a seed from the clock, 20,000 documents).
// Prints the seed first, so a failure replays with the same arguments.
import { runFuzz } from './fuzz';

const seed = process.argv[2] !== undefined ? Number(process.argv[2]) : Date.now() % 2 ** 31;
const count = process.argv[3] !== undefined ? Number(process.argv[3]) : 20_000;
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: npm run fuzz -- [seed] [count]\n');
  process.exit(2);
}
process.stdout.write(`fuzz: seed ${seed}, ${count} documents\n`);
try {
  const report = runFuzz({ seed, count, progress: (done) => done % 1000 === 0 && process.stdout.write(`  ${done}\n`) });
  process.stdout.write(`fuzz: ${report.documents} documents (${report.source}), ${report.compared} compared with a fresh service, ${report.edits} edits, ${report.findings} findings, ${report.milliseconds} ms, slowest ${report.slowestMs} ms\n`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
