/**
 * `npm run test:fast`: the suite for the edit loop, in under a minute. It leaves out what is slow and rarely touched
 * while editing, and runs the rest in three shards (one process each) with fewer fuzz runs. `npm test` stays the whole suite.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Left out, each for its reason. */
const SLOW: Record<string, string> = {
  'test/browser/': 'starts a real browser',
  'test/emulator/moto-crosscheck.test.ts': 'starts moto_server, a second emulator to compare against',
  'test/bff/jwks-uri.test.ts': "starts moto_server, whose JWKS is not at its tokens' issuer",
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
  .filter((file) => !Object.keys(SLOW).some((slow) => file === slow || (slow.endsWith('/') && file.startsWith(slow))))
  .sort();

// Three shards, each one process that imports its files: loading the TypeScript loader, the AWS SDK and the app
// once per shard instead of once per file is most of what a file-per-process run spends on two cores.
const SHARDS = 3;
const shards = Array.from({ length: SHARDS }, (_, i) => files.filter((_file, at) => at % SHARDS === i));
const results = await Promise.all(
  shards.map(
    (shard) =>
      new Promise<{ status: number; output: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            '--test',
            '--test-reporter=spec',
            '--test-timeout=60000',
            ...process.argv.slice(2),
            'test/support/fast-shard.ts',
          ],
          { env: { FUZZ_RUNS: '100', ...process.env, FAST_SHARD_FILES: shard.join(',') } },
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('close', (status) => resolve({ status: status ?? 1, output }));
      }),
  ),
);
for (const [i, { output }] of results.entries())
  process.stdout.write(`\n# shard ${i + 1}: ${shards[i]?.join(' ')}\n${output}`);
const failed = results.filter((r) => r.status !== 0).length;
console.log(failed ? `\ntest:fast: ${failed} of ${SHARDS} shards failed` : '\ntest:fast: every shard passed');
process.exit(failed ? 1 : 0);
