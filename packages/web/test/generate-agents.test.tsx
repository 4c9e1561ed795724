import { readFileSync } from "node:fs";
import path from "node:path";
import type { Job } from "@oratio/sdk";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { generationFraction, stageDetail, stagesOf } from "../src/features/agents/generate/stages.ts";
import { pageHeading, renderApp, signedUpClient } from "./render-app.tsx";

const fixture = (name: string) =>
  readFileSync(path.resolve(import.meta.dirname, "../../../fixtures/business", name));

function job(status: Job["status"], progress: Record<string, unknown>): Job {
  return {
    id: "j",
    type: "builder.generate",
    status,
    progress,
    error: null,
    attempts: 1,
    createdAt: "2026-01-01T00:00:00Z",
    startedAt: null,
    finishedAt: null,
  };
}

describe("create-agent wizard", () => {
  it("measures progress by stage, counting documents indexed while ingestion runs", () => {
    expect(generationFraction(null)).toBe(0);
    const running = job("running", {
      stages: [
        { name: "ingest documents", status: "running", startMs: 0, ms: null },
        {
          name: "crawl site",
          status: "skipped",
          startMs: null,
          ms: null,
          detail: { reason: "No website was given." },
        },
        {
          name: "parse SOP",
          status: "done",
          startMs: 0,
          ms: 80,
          detail: { roles: 3, intents: 9, escalationRules: 4 },
        },
      ],
      ingest: { total: 4, indexed: 2, failed: 0 },
    });
    const stages = stagesOf(running);
    expect(stages.map((s) => s.name)).toEqual([
      "ingest documents",
      "crawl site",
      "parse SOP",
      "extract business profile",
      "draft agent",
      "review",
      "refine",
      "build tests",
    ]);
    // Two finished stages and half of the documents, out of eight stages.
    expect(generationFraction(running)).toBeCloseTo(2.5 / 8);
    expect(stageDetail(stages[0]!, running.progress)).toBe("2 of 4 documents indexed");
    expect(stageDetail(stages[1]!, running.progress)).toBe("No website was given.");
    expect(stageDetail(stages[2]!, running.progress)).toBe("3 roles, 9 procedures, 4 escalation rules");
    expect(generationFraction(job("succeeded", {}))).toBe(1);
  });

  it("builds agents from a dropped SOP and documents, shows the review and publishes", async () => {
    const { client } = await signedUpClient("wizard", "Harborview Family Dental");
    const { user } = renderApp(client, "/agents");
    await pageHeading("Agents");
    await user.click(await screen.findByRole("link", { name: "Create agent" }));
    await pageHeading("Create agent");
    const steps = screen.getByRole("list", { name: "Steps" });
    expect(within(steps).getByText("Sources").closest("li")?.getAttribute("aria-current")).toBe("step");
    expect(screen.getByRole("link", { name: "Start from scratch" }).getAttribute("href")).toBe(
      "/agents/new/scratch",
    );

    await user.type(screen.getByLabelText("Business name"), "Harborview Family Dental");
    // Nothing to build from yet: the page says so and sends nothing.
    await user.click(screen.getByRole("button", { name: "Generate agents" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Paste your SOP or upload it as a file.");

    fireEvent.change(screen.getByLabelText("Upload the SOP as a file"), {
      target: { files: [new File([fixture("sop.md")], "sop.md", { type: "text/markdown" })] },
    });
    expect(await screen.findByText("sop.md")).toBeTruthy();
    expect(screen.queryByLabelText("SOP text")).toBeNull();

    // Documents arrive by drag and drop; a file the server cannot read is named afterwards.
    const dropzone = screen.getByText("Add documents").closest("label")!;
    fireEvent.drop(dropzone, {
      dataTransfer: {
        files: [
          new File([fixture("price-list.csv")], "price-list.csv", { type: "text/csv" }),
          new File([fixture("handbook.pdf")], "handbook.pdf", { type: "application/pdf" }),
          new File([new Uint8Array([0, 1, 2, 3])], "scan.exe", { type: "application/octet-stream" }),
        ],
      },
    });
    const toAdd = screen.getByRole("list", { name: "Documents to add" });
    expect(
      within(toAdd)
        .getAllByRole("listitem")
        .map((li) => li.textContent?.split(/\d/)[0]),
    ).toEqual(["price-list.csv", "handbook.pdf", "scan.exe"]);
    await user.selectOptions(screen.getByLabelText("Model provider"), "local");
    await user.type(screen.getByLabelText("Model name"), "harbor");
    await user.click(screen.getByRole("button", { name: "Generate agents" }));

    expect((await screen.findByRole("alert")).textContent).toMatch(/^scan\.exe was left out: /);
    // The generation is followed to its end, then the review replaces the progress.
    await screen.findByRole("heading", { name: "Review the drafts" }, { timeout: 30_000 });
    const after = screen.getByRole("list", { name: "Steps" });
    expect(within(after).getByText("Review and publish").closest("li")?.getAttribute("aria-current")).toBe(
      "step",
    );

    const tabs = screen.getByRole("tablist", { name: "Generated agents" });
    const names = within(tabs)
      .getAllByRole("tab")
      .map((t) => t.textContent);
    expect(names[0]).toBe("Receptionist (answers first)");
    expect(names.length).toBeGreaterThan(1);
    const preview = await screen.findByRole("region", { name: "Instructions preview for Receptionist" });
    expect(preview.textContent).toMatch(/book/i);
    expect(preview.textContent).not.toContain("<business-profile>");
    // Procedures cite their SOP passage.
    await waitFor(() => expect(screen.getAllByText(/^From the SOP/).length).toBeGreaterThan(0));
    expect(screen.getByRole("list", { name: "Review cycles for Receptionist" })).toBeTruthy();

    // Facts with their sources: the documents, not only the SOP, are cited.
    const profile = await screen.findByRole("region", { name: "Business profile" });
    within(profile).getByRole("region", { name: "Prices and fees" });
    const sources = within(profile).getAllByText(/^Source: /);
    expect(sources.some((s) => /handbook|price/i.test(s.textContent ?? ""))).toBe(true);
    // The passage a fact was read from sits under its source, one click away.
    expect(sources[0]?.closest("details")?.querySelector("blockquote")?.textContent?.trim()).toBeTruthy();

    const report = (await client.agents.list()).filter((a) => a.status === "draft");
    expect(report.length).toBe(names.length);
    await user.click(screen.getByRole("button", { name: "Publish agents" }));
    expect((await screen.findByRole("status")).textContent).toContain("Published.");
    const published = await client.agents.list();
    expect(published.every((a) => a.publishedVersion === a.latestVersion)).toBe(true);

    await user.click(screen.getByRole("link", { name: "Try Receptionist in the playground" }));
    await pageHeading("Receptionist");
    expect(screen.getByRole("tab", { name: "Playground", selected: true })).toBeTruthy();
  }, 90_000);
});
