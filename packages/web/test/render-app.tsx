import { createClient, memoryTokenStore, type OratioClient, type TokenPair } from "@oratio/sdk";
import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { inject } from "vitest";
import { App } from "../src/app.tsx";

/** A client of the test server (see server-global-setup.ts): the pages use the real API. */
export function clientFor(tokens: TokenPair | null = null): OratioClient {
  return createClient({ baseUrl: inject("apiUrl"), tokenStore: memoryTokenStore(tokens) });
}

/** Renders the whole dashboard at `path`. */
export function renderApp(client: OratioClient, path: string) {
  const history = createMemoryHistory({ initialEntries: [path] });
  const user = userEvent.setup();
  const view = render(<App client={client} history={history} />);
  return { ...view, user, history };
}

let counter = 0;
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@example.com`;
}

/** Signs up through the API and returns a client holding that user's tokens. */
export async function signedUpClient(label: string, organizationName = "Lovelace Dental") {
  const client = clientFor();
  const email = uniqueEmail(label);
  const result = await client.auth.signup({
    email,
    password: "correct horse battery staple",
    name: `Ada ${label}`,
    organizationName,
  });
  return { client, email, result };
}

/** Every page has exactly one h1; returns its text. */
export async function pageHeading(name: string | RegExp): Promise<HTMLElement> {
  const heading = await screen.findByRole("heading", { level: 1, name });
  const all = screen.getAllByRole("heading", { level: 1 });
  if (all.length !== 1)
    throw new Error(`Expected one h1, found ${all.length}: ${all.map((h) => h.textContent).join(", ")}`);
  return heading;
}
