import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export const inCI = process.env['CI'] === 'true';

export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Skips a test whose external tool is missing on a developer machine, but fails it in CI (CI=true), where a
 * silently skipped suite would hide a broken install.
 */
export function needTool(t: TestContext, name: string): boolean {
  if (hasCommand(name)) return true;
  if (inCI) throw new Error(`${name} is required in CI but was not found on PATH`);
  t.skip(`${name} not installed`);
  return false;
}
