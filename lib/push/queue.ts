// The queue that takes push work off the request path. Jobs are strings (JSON made by
// ./dispatcher.ts, each with its own id). A job taken is this node's alone until it is done or
// put back for later; with Redis (./redis-queue.ts) that holds across nodes, so every push is
// sent by one node, never two. In memory here, for a single node.

export interface TakenJob {
  readonly job: string;
  /** Finished (sent, or given up): it leaves the queue. */
  done(): Promise<void>;
  /** Not now: `next` (the job with its attempt counted) is taken again after delayMs. */
  retryIn(delayMs: number, next: string): Promise<void>;
}

export interface JobQueue {
  push(job: string): Promise<void>;
  /** The next job, waiting for one; null once the queue is closed. */
  take(): Promise<TakenJob | null>;
  /** Hands out no more jobs: a waiting `take` resolves null. Jobs taken may still finish. */
  stopTaking(): void;
  /** After the jobs taken have finished: jobs not done stay queued where there is a store (Redis). */
  close(): Promise<void>;
}

export class MemoryJobQueue implements JobQueue {
  private readonly ready: string[] = [];
  private readonly waiting: ((job: string | null) => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  async push(job: string): Promise<void> {
    if (this.closed) return;
    const taker = this.waiting.shift();
    if (taker) taker(job);
    else this.ready.push(job);
  }

  async take(): Promise<TakenJob | null> {
    const job = this.ready.shift() ?? (this.closed ? null : await new Promise<string | null>((resolve) => this.waiting.push(resolve)));
    if (job === null) return null;
    return {
      job,
      done: async () => {},
      retryIn: async (delayMs, next) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void this.push(next);
        }, delayMs);
        timer.unref();
        this.timers.add(timer);
      },
    };
  }

  stopTaking(): void {
    this.closed = true;
    for (const taker of this.waiting.splice(0)) taker(null);
  }

  async close(): Promise<void> {
    this.stopTaking();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
