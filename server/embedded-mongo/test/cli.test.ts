/**
 * The standalone server (`npm run db -- --port N [--data-dir DIR]`, i.e. cli.ts): prints its URI on stdout,
 * serves any MongoDB client on the asked port, stops cleanly on SIGTERM/SIGINT, keeps data across restarts
 * with a data folder, and refuses a bad or busy port. Only meaningful for the embedded server.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';

const REPO_ROOT = path.join(__dirname, '../../..');
const CLI = path.join(__dirname, '../cli.ts');
const START_DEADLINE_MS = 20_000;

let dataDir: string;
const children = new Set<ChildProcessWithoutNullStreams>();
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-cli-'));
});
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** `node --import tsx cli.ts …` (what `npm run db` runs, without the tsx wrapper process in between). */
function runCli(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, stdio: 'pipe' });
  children.add(child);
  return child;
}

/** Starts the CLI and resolves with the first stdout line (the URI). */
function startCli(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; uri: string; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = runCli(args);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => reject(new Error(`no URI printed within ${START_DEADLINE_MS} ms: ${stderr}`)), START_DEADLINE_MS);
    createInterface({ input: child.stdout }).once('line', (uri) => {
      clearTimeout(timer);
      resolve({ child, uri, stderr: () => stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cli exited with ${code} before printing its URI: ${stderr}`));
    });
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

test('prints a URI for the asked port, serves a client, keeps data in --data-dir across a SIGTERM restart', async () => {
  const port = await freePort();
  const first = await startCli(['--port', String(port), '--data-dir', dataDir]);
  expect(first.uri).toBe(`mongodb://127.0.0.1:${port}/?replicaSet=rs0`);
  const client = await new MongoClient(first.uri).connect();
  try {
    const coll = client.db('cli').collection<{ _id: string; n: number }>('things');
    await coll.createIndex({ n: 1 }, { unique: true });
    await coll.insertMany([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 2 },
    ]);
    await coll.updateOne({ _id: 'b' }, { $inc: { n: 40 } });
  } finally {
    await client.close();
  }
  first.child.kill('SIGTERM');
  expect(await exited(first.child)).toEqual({ code: 0, signal: null });

  const second = await startCli(['--port', '0', '--data-dir', dataDir]);
  expect(second.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/\?replicaSet=rs0$/);
  const again = await new MongoClient(second.uri).connect();
  try {
    const coll = again.db('cli').collection<{ _id: string; n: number }>('things');
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 42 },
    ]);
    await expect(coll.insertOne({ _id: 'c', n: 1 })).rejects.toMatchObject({ code: 11000 });
  } finally {
    await again.close();
  }
  second.child.kill('SIGINT');
  expect(await exited(second.child)).toEqual({ code: 0, signal: null });
  expect(second.stderr()).toMatch(/loaded \d+ journal records/);
}, 60_000);

test('an invalid or busy port fails with exit code 1 and a message', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  try {
    const run = async (port: string) => {
      const child = runCli(['--port', port]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      return { ...(await exited(child)), stderr };
    };
    const [bad, busy] = await Promise.all([run('nope'), run(String((holder.address() as net.AddressInfo).port))]);
    expect(bad).toMatchObject({ code: 1, signal: null, stderr: expect.stringMatching(/invalid --port nope/) });
    expect(busy).toMatchObject({ code: 1, signal: null, stderr: expect.stringMatching(/EADDRINUSE/) });
  } finally {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
  }
}, 60_000);
