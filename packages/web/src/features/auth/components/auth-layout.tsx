import type { ReactNode } from "react";
import { Logo } from "../../../components/layout/logo.tsx";
import { ThemeToggle } from "../../../components/layout/theme-toggle.tsx";

/** The frame of the signed-out pages: brand, one card, and the theme toggle. */
export function AuthLayout({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col bg-background">
      <header className="flex items-center justify-between p-4 sm:p-6">
        <Logo />
        <ThemeToggle />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-4 pb-12 sm:items-center sm:pt-0">
        <div className="w-full max-w-md rounded-signature border border-border bg-surface p-6 shadow-glow sm:p-8">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          {description && <div className="mt-1 text-sm text-subtle">{description}</div>}
          <div className="mt-6">{children}</div>
        </div>
      </main>
    </div>
  );
}
