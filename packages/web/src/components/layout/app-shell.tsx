import { ApiError } from "@oratio/sdk";
import { Navigate, Outlet } from "@tanstack/react-router";
import { Menu, X } from "lucide-react";
import { useEffect, useState } from "react";
import { NotificationBell } from "../../features/notifications/components/notification-bell.tsx";
import { LiveEventsProvider } from "../../lib/live-events.tsx";
import { useCurrentOrganization, useMe, useOrganizationSelection, useSignedIn } from "../../lib/session.tsx";
import { ErrorState, LoadingState } from "../states.tsx";
import { Button } from "../ui/button.tsx";
import { Logo } from "./logo.tsx";
import { Nav } from "./nav.tsx";
import { NoOrganization } from "./no-organization.tsx";
import { OrgSwitcher } from "./org-switcher.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";
import { UserMenu } from "./user-menu.tsx";

/** Sidebar, top bar and the page; pages render only once the current organization is known. */
export function AppShell() {
  const signedIn = useSignedIn();
  const me = useMe();
  const current = useCurrentOrganization();
  const { selectedId, select } = useOrganizationSelection();
  const [menuOpen, setMenuOpen] = useState(false);

  // The remembered organization is no longer one of the user's (they were removed, or
  // someone else signed in on this browser): fall back to the user's first.
  const staleSelection = selectedId !== null && me.error instanceof ApiError && me.error.status === 403;
  useEffect(() => {
    if (staleSelection) select(null);
  }, [staleSelection, select]);

  // A failed refresh clears the tokens: the session is over, so back to sign-in.
  if (!signedIn) return <Navigate to="/sign-in" />;
  if (me.isPending || staleSelection) {
    return (
      <main className="grid min-h-dvh place-items-center">
        <LoadingState label="Loading your workspace…" />
      </main>
    );
  }
  if (me.isError) {
    return (
      <main className="mx-auto max-w-xl p-6">
        <h1 className="mb-4 text-2xl font-semibold">Oratio</h1>
        <ErrorState error={me.error} onRetry={() => me.refetch()} />
      </main>
    );
  }
  if (!current) return <NoOrganization />;

  return (
    <LiveEventsProvider>
      <div className="min-h-dvh lg:grid lg:grid-cols-[16rem_1fr]">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-surface focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <aside className="hidden border-r border-border bg-surface lg:flex lg:min-h-dvh lg:flex-col lg:gap-6 lg:p-4">
          <div className="px-2 pt-1">
            <Logo />
          </div>
          <OrgSwitcher />
          <Nav />
        </aside>
        <div className="flex min-w-0 flex-col">
          <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-border bg-background/90 px-4 backdrop-blur sm:px-6">
            <Button
              variant="ghost"
              size="icon"
              className="lg:hidden"
              aria-label={menuOpen ? "Close menu" : "Open menu"}
              aria-expanded={menuOpen}
              aria-controls="mobile-menu"
              onClick={() => setMenuOpen((open) => !open)}
            >
              {menuOpen ? <X aria-hidden /> : <Menu aria-hidden />}
            </Button>
            <span className="lg:hidden">
              <Logo />
            </span>
            <div className="ml-auto flex items-center gap-1">
              <NotificationBell />
              <ThemeToggle />
              <UserMenu />
            </div>
          </header>
          {menuOpen && (
            <div id="mobile-menu" className="grid gap-4 border-b border-border bg-surface p-4 lg:hidden">
              <OrgSwitcher />
              <Nav onNavigate={() => setMenuOpen(false)} />
            </div>
          )}
          <main
            id="main"
            tabIndex={-1}
            className="mx-auto w-full max-w-6xl flex-1 p-4 outline-none sm:p-6 lg:p-8"
          >
            <Outlet />
          </main>
        </div>
      </div>
    </LiveEventsProvider>
  );
}
