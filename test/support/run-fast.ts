/**
 * `npm run test:fast`: the suite for the edit loop, in under a minute. It leaves out what is slow and rarely touched
 * while editing, and runs the rest several files at a time with fewer fuzz runs. `npm test` stays the whole suite.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Left out, each for its reason. */
const SLOW: Record<string, string> = {
  'test/browser/journey.test.ts': 'starts a real browser',
  'test/emulator/moto-crosscheck.test.ts': 'starts moto_server, a second emulator to compare against',
  'test/emulator/aws-cli.test.ts': 'runs the AWS CLI, a Python process per call',
  'test/http/shutdown.test.ts': 'real BFF processes under load, with timing that needs the machine to itself',
  'test/ops/startup.test.ts': 'starts the real BFF process, again and again',
  'test/bff/redis-faults.test.ts': 'freezes a Redis of its own under load, with timing that needs the machine',
};

const files = readdirSync('test', { withFileTypes: true })
  .filter((dir) => dir.isDirectory())
  .flatMap((dir) =>
    readdirSync(join('test', dir.name))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => `test/${dir.name}/${name}`),
  )
  .filter((file) => !(file in SLOW))
  .sort();

const { status } = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=3',
    '--test-reporter=spec',
    '--test-timeout=60000',
    ...process.argv.slice(2),
    ...files,
  ],
  { stdio: 'inherit', env: { FUZZ_RUNS: '100', ...process.env } },
);
process.exit(status ?? 1);
