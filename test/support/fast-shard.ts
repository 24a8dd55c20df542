/**
 * One shard of `npm run test:fast`: the test files named in FAST_SHARD_FILES, imported into this one process, so
 * the TypeScript loader, the AWS SDK and the rest are loaded once per shard instead of once per file.
 */
for (const file of (process.env['FAST_SHARD_FILES'] ?? '').split(',').filter(Boolean)) {
  await import(new URL(`../../${file}`, import.meta.url).href);
}
