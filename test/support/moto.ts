import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { freePort } from './faults.js';

export interface Moto {
  endpoint: string;
  process: ChildProcess;
}

/** `moto_server` (a second Cognito emulator, Python) on a free loopback port, once it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      return { endpoint, process: child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  child.kill();
  throw new Error('moto_server did not start within 30 s');
}
