import { Link } from "@tanstack/react-router";
import { Building2, KeyRound, type LucideIcon, Users } from "lucide-react";
import { useOrganization } from "../../lib/session.tsx";

interface NavEntry {
  to: "/members" | "/api-keys" | "/settings/organization";
  label: string;
  icon: LucideIcon;
  /** Shown only to owners and admins (the page's API refuses everyone else). */
  managersOnly?: boolean;
}

const ENTRIES: NavEntry[] = [
  { to: "/members", label: "Members", icon: Users },
  { to: "/api-keys", label: "API keys", icon: KeyRound, managersOnly: true },
  { to: "/settings/organization", label: "Organization settings", icon: Building2 },
];

export function Nav({ onNavigate }: { onNavigate?: () => void }) {
  const { canManage } = useOrganization();
  return (
    <nav aria-label="Main">
      <ul className="grid gap-1">
        {ENTRIES.filter((entry) => canManage || !entry.managersOnly).map(({ to, label, icon: Icon }) => (
          <li key={to}>
            <Link
              to={to}
              onClick={onNavigate}
              className="flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-subtle hover:bg-muted hover:text-foreground"
              activeProps={{
                className: "bg-muted text-foreground! shadow-[inset_3px_0_0_var(--color-brand-violet)]",
                "aria-current": "page",
              }}
            >
              <Icon className="size-4" aria-hidden />
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
