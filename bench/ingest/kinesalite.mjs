// Starts kinesalite (npm, from tests/clients) in memory on 127.0.0.1 and prints
// {"port":N} on stdout once it listens. Streams become ACTIVE at once (createStreamMs 0), so
// benchmarks and tests do not wait for a simulated provisioning delay. Stops on SIGTERM/SIGINT.
//
//   node bench/ingest/kinesalite.mjs [PORT]      (default 0: a free port chosen by the kernel)
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireClient = createRequire(path.join(here, '../../tests/clients/package.json'));
const kinesalite = requireClient('kinesalite');

// No `path` option: kinesalite keeps its data in memory (memdown).
const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
