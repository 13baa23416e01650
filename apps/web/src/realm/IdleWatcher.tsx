import { createActivityMonitor, idlePhase, warningWindowMs } from "@gatehouse/client";
import { Button, Group, Modal, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { realmPath } from "./kit.ts";
import { sessionKey, useRealm } from "./realm-context.ts";

/**
 * Mirrors the server's idle timeout (seed 004): real activity sends at most one heartbeat a minute; a
 * warning with a countdown shows before `idleExpiresAt`; at the end the page checks passively (another
 * tab may have kept the session alive) and otherwise signs out, saying why on the login page.
 */
export function IdleWatcher() {
  const { session, heartbeat, signOut, kit, endLocally } = useRealm();
  const queryClient = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const ending = useRef(false);
  const idleExpiresAt = session?.session.idleExpiresAt ?? new Date(0).toISOString();
  const timeoutMs = session
    ? new Date(session.session.idleExpiresAt).getTime() - new Date(session.session.lastActiveAt).getTime()
    : 0;
  const { phase, msLeft } = idlePhase({ idleExpiresAt, now, warningMs: warningWindowMs(timeoutMs) });

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, []);

  // One monitor for the page's life, so its once-a-minute throttle is never reset by a re-render.
  const beat = useRef(heartbeat);
  beat.current = heartbeat;
  useEffect(() => {
    const monitor = createActivityMonitor({ target: window, onActivity: () => void beat.current() });
    return () => monitor.stop();
  }, []);

  useEffect(() => {
    if (phase !== "expired" || ending.current) return;
    ending.current = true;
    void (async () => {
      const { data, response } = await kit.api.GET(realmPath(kit.realm, "/auth/session"), {
        params: { query: { passive: "true" } },
      });
      if (response.ok && data && new Date(data.session.idleExpiresAt).getTime() > Date.now() + 1_000) {
        // Kept alive elsewhere (another tab, or this page's own requests): follow the server's deadline,
        // so the phase leaves "expired" and this check runs again at the new end.
        queryClient.setQueryData(sessionKey(kit.realm), data);
        ending.current = false;
        return;
      }
      if (response.status === 401) endLocally("idle");
      else await signOut("idle");
    })();
  }, [phase, kit, signOut, endLocally, queryClient]);

  return (
    <Modal
      lockScroll={false}
      opened={phase === "warning"}
      onClose={() => void heartbeat()}
      title="Are you still there?"
      centered
      closeOnClickOutside={false}
      data-testid="idle-warning"
    >
      <Text mb="md" aria-live="polite">
        For your security you will be signed out in <strong>{Math.ceil(msLeft / 1000)}</strong> seconds.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => void signOut("logout")}>
          Sign out now
        </Button>
        <Button onClick={() => void heartbeat()} data-autofocus>
          Stay signed in
        </Button>
      </Group>
    </Modal>
  );
}
