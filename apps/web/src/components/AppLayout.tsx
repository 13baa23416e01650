import { Burger, Button, Group, Menu, Modal, NavLink, Text, Title, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, Outlet, useLocation } from "react-router";
import { useRealm } from "../realm/realm-context.ts";

const navigation = {
  user: [
    { to: "/", label: "Dashboard" },
    { to: "/security", label: "Security" },
  ],
  admin: [
    { to: "/admin", label: "Overview" },
    { to: "/admin/principals", label: "Principals" },
    { to: "/admin/sessions", label: "Sessions" },
    { to: "/admin/audit", label: "Audit log" },
  ],
};

/** Every signed-in page: a header with the account and a logout that asks first, and the realm's navigation. */
export function AppLayout() {
  const { kit, session, signOut } = useRealm();
  const location = useLocation();
  const [navOpen, nav] = useDisclosure(false);
  const [confirming, confirm] = useDisclosure(false);
  const links = navigation[kit.realm];
  const title = kit.realm === "admin" ? "Gatehouse admin" : "Gatehouse";

  return (
    <div className="gh-shell" data-nav-open={navOpen}>
      <header className="gh-header">
        <Group gap="sm" wrap="nowrap">
          <Burger
            opened={navOpen}
            onClick={nav.toggle}
            className="gh-burger"
            size="sm"
            aria-label="Toggle navigation"
          />
          <Title order={1} size="h4">
            {title}
          </Title>
        </Group>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <UnstyledButton aria-label="Account menu">
              <Text size="sm" fw={500} truncate maw={200}>
                {session?.principal.displayName ?? session?.principal.email}
              </Text>
            </UnstyledButton>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>{session?.principal.email}</Menu.Label>
            {kit.realm === "user" && (
              <Menu.Item component={Link} to="/security">
                Security
              </Menu.Item>
            )}
            <Menu.Item color="red" onClick={confirm.open}>
              Log out
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </header>
      <div className="gh-body">
        <nav className="gh-nav" aria-label="Main navigation">
          {links.map((link) => (
            <NavLink
              key={link.to}
              component={Link}
              to={link.to}
              label={link.label}
              active={location.pathname === link.to}
              onClick={nav.close}
            />
          ))}
          <Button variant="light" color="red" mt="auto" onClick={confirm.open}>
            Log out
          </Button>
        </nav>
        <main className="gh-main">
          <Outlet />
        </main>
      </div>
      <Modal lockScroll={false} opened={confirming} onClose={confirm.close} title="Log out?" centered>
        <Text size="sm" mb="md">
          {kit.realm === "admin"
            ? "You will be signed out of the admin console in every tab. The user dashboard stays signed in."
            : "You will be signed out of the dashboard in every tab. The admin console stays signed in."}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={confirm.close}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => {
              confirm.close();
              void signOut("logout");
            }}
          >
            Log out
          </Button>
        </Group>
      </Modal>
    </div>
  );
}
