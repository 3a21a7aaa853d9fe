// Starts and stops a real `tarn server` for the Node.js end-to-end tests (the JS twin of
// tarn_harness.py): a temporary data dir, a kernel-chosen loopback port read from the server's
// `server.ready` log line, SIGTERM and a clean exit at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const TARN_BIN = process.env.TARN_BIN ?? path.join(here, '../../build/release/tarn');

// The npm test clients live in tests/clients (one folder, one lockfile).
export const requireClient = createRequire(path.join(here, '../clients/package.json'));

export async function startTarn() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tarn-e2e-js-'));
  const proc = spawn(TARN_BIN, ['server', '--data', dataDir, '--port', '0'],
                     { stdio: ['ignore', 'ignore', 'pipe'] });
  const logLines = [];
  const lines = readline.createInterface({ input: proc.stderr });
  const endpoint = await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      logLines.push(line);
      try {
        const event = JSON.parse(line);
        if (event.event === 'server.ready') resolve(event.endpoint);
      } catch { /* not a log line */ }
    });
    proc.on('exit', (code) => reject(new Error(`tarn exited (${code}):\n${logLines.join('\n')}`)));
  });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    endpoint,
    dataDir,
    logLines,
    async stop() {
      proc.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export async function scrapeMetric(endpoint, name, labels) {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${want}} `));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}
