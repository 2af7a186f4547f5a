// One user's tabs in this browser agree on two things so that a message makes one desktop
// notification, not one per tab: which tab shows notifications (the holder of a Web Lock: one at
// a time; when it closes, the browser hands the lock to another tab), and which conversation each
// tab shows where the user can see it (told over a BroadcastChannel). No server involved.
//
// Without Web Locks (an old browser) every tab shows notifications; their shared `tag` then at
// least lets the system replace one with the next.

/** A tab repeats its state this often, and a state this old is forgotten (a tab that crashed). */
const HEARTBEAT_MS = 15_000;
const STALE_MS = 45_000;

type TabState = { tabId: string; viewing: string | null; at: number };
type Signal = { kind: 'state'; state: TabState } | { kind: 'bye'; tabId: string } | { kind: 'hello' };

export class TabCoordinator {
  private readonly tabId = crypto.randomUUID();
  private channel: BroadcastChannel | null = null;
  private readonly others = new Map<string, TabState>();
  private viewing: string | null = null;
  private leader = false;
  private releaseLock: (() => void) | null = null;
  private readonly undo: (() => void)[] = [];

  constructor(private readonly userId: string) {}

  start(): void {
    if (typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(`parley-tabs:${this.userId}`);
      channel.onmessage = (event: MessageEvent<Signal>) => this.receive(event.data);
      this.channel = channel;
      this.post({ kind: 'hello' });
      this.announce();
      const heartbeat = setInterval(() => this.announce(), HEARTBEAT_MS);
      const onPageHide = () => this.post({ kind: 'bye', tabId: this.tabId });
      // Back from the back/forward cache: the others forgot this tab at its "bye".
      const onPageShow = (event: PageTransitionEvent) => {
        if (event.persisted) this.announce();
      };
      window.addEventListener('pagehide', onPageHide);
      window.addEventListener('pageshow', onPageShow);
      this.undo.push(() => {
        clearInterval(heartbeat);
        window.removeEventListener('pagehide', onPageHide);
        window.removeEventListener('pageshow', onPageShow);
        onPageHide();
        channel.close();
      });
    }
    if (navigator.locks) {
      let stopped = false;
      void navigator.locks
        .request(
          `parley-notifications:${this.userId}`,
          () =>
            new Promise<void>((release) => {
              if (stopped) return release();
              this.leader = true;
              this.releaseLock = release;
            }),
        )
        .catch(() => {});
      this.undo.push(() => {
        stopped = true;
        this.leader = false;
        this.releaseLock?.();
        this.releaseLock = null;
      });
    } else {
      this.leader = true;
    }
  }

  stop(): void {
    for (const undo of this.undo.splice(0).reverse()) undo();
    this.others.clear();
  }

  /** Whether this tab is the one that shows notifications. */
  isLeader(): boolean {
    return this.leader;
  }

  /** The conversation this tab shows where the user can see it (visible and focused), or null. */
  setViewing(conversationId: string | null): void {
    if (conversationId === this.viewing) return;
    this.viewing = conversationId;
    this.announce();
  }

  /** Whether any tab of the user (this one included) shows the conversation where they can see it. */
  isViewedAnywhere(conversationId: string, now = Date.now()): boolean {
    if (this.viewing === conversationId) return true;
    for (const other of this.others.values()) {
      if (other.viewing === conversationId && now - other.at < STALE_MS) return true;
    }
    return false;
  }

  private announce(): void {
    this.post({ kind: 'state', state: { tabId: this.tabId, viewing: this.viewing, at: Date.now() } });
  }

  private post(signal: Signal): void {
    this.channel?.postMessage(signal);
  }

  private receive(signal: Signal): void {
    switch (signal.kind) {
      case 'hello':
        return this.announce();
      case 'state':
        // Arrival time is ours: clocks of tabs agree, but this needs no trust in that.
        if (signal.state.tabId !== this.tabId) this.others.set(signal.state.tabId, { ...signal.state, at: Date.now() });
        return;
      case 'bye':
        this.others.delete(signal.tabId);
        return;
    }
  }
}
