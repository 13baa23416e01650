/** What counts as a person being there (seed 004): a click, a key, a scroll, a touch. Not mouse moves. */
export const activityEvents = ["click", "keydown", "scroll", "touchstart"] as const;

export interface ActivityMonitorOptions {
  /** Where to listen (the window in a page); capture phase, so scrolls inside elements count too. */
  target: EventTarget;
  /** Called on real activity, at most once per `minIntervalMs` (the heartbeat). */
  onActivity: () => void;
  /** Default one minute: activity is a heartbeat to the server, not a request per keystroke. */
  minIntervalMs?: number;
  now?: () => number;
}

export interface ActivityMonitor {
  stop(): void;
  /** Forget the last heartbeat (e.g. after "Stay signed in" sent one itself). */
  markSent(): void;
}

/** Listens for real activity and reports it, throttled to one call a minute by default. */
export function createActivityMonitor(options: ActivityMonitorOptions): ActivityMonitor {
  const minIntervalMs = options.minIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  const listener = () => {
    const at = now();
    if (at - last < minIntervalMs) return;
    last = at;
    options.onActivity();
  };
  for (const type of activityEvents) options.target.addEventListener(type, listener, { capture: true, passive: true });
  return {
    stop: () => {
      for (const type of activityEvents) options.target.removeEventListener(type, listener, { capture: true });
    },
    markSent: () => {
      last = now();
    },
  };
}
