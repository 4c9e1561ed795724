import { Link } from "@tanstack/react-router";
import {
  Bell,
  Bot,
  Building2,
  Cpu,
  KeyRound,
  LayoutDashboard,
  Library,
  type LucideIcon,
  MessagesSquare,
  Phone,
  Users,
  Wrench,
} from "lucide-react";
import { useOrganization } from "../../lib/session.tsx";

interface NavEntry {
  to:
    | "/"
    | "/agents"
    | "/knowledge"
    | "/tools"
    | "/sessions"
    | "/notifications"
    | "/settings/providers"
    | "/settings/phone-numbers"
    | "/members"
    | "/api-keys"
    | "/settings/organization";
  label: string;
  icon: LucideIcon;
  /** Shown only to owners and admins (the page's API refuses everyone else). */
  managersOnly?: boolean;
}

const ENTRIES: NavEntry[] = [
  { to: "/", label: "Overview", icon: LayoutDashboard },
  { to: "/agents", label: "Agents", icon: Bot },
  { to: "/knowledge", label: "Knowledge", icon: Library },
  { to: "/tools", label: "Tools", icon: Wrench },
  { to: "/sessions", label: "Sessions", icon: MessagesSquare },
  { to: "/notifications", label: "Notifications", icon: Bell },
  { to: "/settings/providers", label: "Model providers", icon: Cpu, managersOnly: true },
  { to: "/settings/phone-numbers", label: "Phone numbers", icon: Phone, managersOnly: true },
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
              activeOptions={{ exact: to === "/" }}
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
