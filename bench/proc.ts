// Child processes for the benchmarks: started with the file-descriptor limit raised to the hard
// limit (10 000 sockets need as many descriptors), waited for until they answer, measured through
// /proc (resident memory, CPU time), and never left behind.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

const children = new Set<ChildProcess>();
// Whatever ends the bench, its children go with it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Runs a TypeScript entry point under tsx, with `ulimit -n` raised; `exec` keeps the pid. */
export function spawnTs(
  entry: string,
  options: { env?: Record<string, string>; ipc?: boolean; quiet?: boolean; nodeArgs?: string[] } = {},
): ChildProcess {
  const stdio: StdioOptions = ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit'];
  if (options.ipc) stdio.push('ipc');
  const child = spawn(
    'sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, ...(options.nodeArgs ?? []), '--import', 'tsx', entry],
    {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio,
      serialization: 'advanced',
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once a Socket.IO server answers on the URL. */
export async function waitForSocketIo(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url}: no answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Resident and peak resident memory of a process, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** CPU time (user + system) a process has used, in seconds. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds used so far by every process with one of these command names (postgres, redis-server). */
export function cpuSecondsOfCommands(names: readonly string[]): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) total += cpuSecondsOf(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** Busy and total CPU time of the whole machine so far (all cores), in clock ticks. */
export function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((sum, value) => sum + value, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * Waits (up to maxMs) until the machine has been nearly idle for a few seconds, so figures are
 * not taken while someone else's build shares the cores. Resolves false if it never was.
 */
export async function waitForQuiet(maxMs: number, busyBelow = 0.15, forMs = 3000): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  let previous = machineTicks();
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = machineTicks();
    const busy = (current.busy - previous.busy) / Math.max(1, current.total - previous.total);
    previous = current;
    if (busy >= busyBelow) quietSince = Date.now();
    else if (Date.now() - quietSince >= forMs) return true;
  }
  return false;
}

/** A hard stop: the bench exits by itself even if something hangs. */
export function watchdog(ms: number, what: string): NodeJS.Timeout {
  const timer = setTimeout(() => {
    console.error(`${what}: still running after ${Math.round(ms / 1000)} s, stopping`);
    process.exit(2);
  }, ms);
  timer.unref();
  return timer;
}
