import { Link } from "@tanstack/react-router";
import { Button } from "./ui/button.tsx";

export function NotFoundPage() {
  return (
    <main className="mx-auto grid min-h-dvh max-w-md place-content-center gap-4 p-6 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-subtle">There is no page at this address.</p>
      <Button asChild>
        <Link to="/">Go to the dashboard</Link>
      </Button>
    </main>
  );
}
