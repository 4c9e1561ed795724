import type { Agent, GeneratedAgentSummary, GenerationReport } from "@oratio/sdk";
import { Link } from "@tanstack/react-router";
import { AlertTriangle, ArrowRight, CheckCircle2, Rocket, Wrench } from "lucide-react";
import { Markdown } from "../../../../components/markdown.tsx";
import { ErrorState, FormError, LoadingState } from "../../../../components/states.tsx";
import { StatusBadge } from "../../../../components/status-badge.tsx";
import { Button, buttonVariants } from "../../../../components/ui/button.tsx";
import { Card, CardDescription, CardTitle } from "../../../../components/ui/card.tsx";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../../../../components/ui/tabs.tsx";
import { useAgentProfile, useGeneratedAgents, usePublishAll } from "../api/queries.ts";
import { formatMs, inPipelineOrder } from "../stages.ts";
import { StageList } from "./generation-progress.tsx";
import { ProceduresList } from "./procedures-list.tsx";
import { ProfileFacts } from "./profile-facts.tsx";
import { ReviewFindings } from "./review-findings.tsx";

/** The profile is shown in its own card, so the instructions preview names it instead of repeating it. */
function withoutProfileBlock(instructions: string): string {
  return instructions
    .replace(
      /<business-profile>[\s\S]*?<\/business-profile>/,
      "_The business profile (below) is added here._",
    )
    .trim();
}

function AgentReview({ summary, agent }: { summary: GeneratedAgentSummary; agent: Agent }) {
  const config = agent.config;
  return (
    <div className="grid gap-6">
      <Card className="grid gap-3">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div>
            <CardTitle>Drafted instructions</CardTitle>
            <CardDescription>
              What {summary.role} follows, as the drafter wrote it and the reviewer checked it.
            </CardDescription>
          </div>
          <Link
            to="/agents/$agentId"
            params={{ agentId: agent.id }}
            search={{ tab: "configuration" }}
            className={buttonVariants({ variant: "outline", size: "sm" })}
          >
            Edit {summary.role}
          </Link>
        </div>
        {(config.greeting || config.onEnter) && (
          <p className="rounded-md bg-muted px-3 py-2 text-sm">
            <span className="font-medium">{config.greeting ? "Greeting" : "On handoff"}:</span>{" "}
            {config.greeting ?? config.onEnter}
          </p>
        )}
        <section
          aria-label={`Instructions preview for ${summary.role}`}
          className="max-h-[32rem] overflow-y-auto rounded-md border border-border bg-background p-4"
        >
          <Markdown source={withoutProfileBlock(config.instructions)} />
        </section>
      </Card>

      <Card className="grid gap-3">
        <div>
          <CardTitle>Procedures</CardTitle>
          <CardDescription>
            The intents from your SOP this agent handles, each citing the SOP passage.
          </CardDescription>
        </div>
        <ProceduresList agentId={agent.id} />
      </Card>

      <Card className="grid gap-3">
        <div>
          <CardTitle>Reviewer findings</CardTitle>
          <CardDescription>
            A reviewer checked the draft against the profile and procedures: coverage, contradictions, missing
            escalations and unsafe promises.
          </CardDescription>
        </div>
        <ReviewFindings agent={summary} />
      </Card>

      {summary.suggestedTools.length > 0 && (
        <Card className="grid gap-3">
          <div>
            <CardTitle>Suggested tools</CardTitle>
            <CardDescription>
              Actions your SOP mentions that need a system of yours. Define them under Tools, then give them
              to the agent.
            </CardDescription>
          </div>
          <ul className="grid gap-2">
            {summary.suggestedTools.map((tool) => (
              <li key={tool.name} className="flex gap-2 text-sm">
                <Wrench className="mt-0.5 size-4 shrink-0 text-subtle" aria-hidden />
                <span>
                  <code className="font-mono">{tool.name}</code>
                  {tool.parameters.length > 0 && (
                    <span className="text-subtle">({tool.parameters.map((p) => p.name).join(", ")})</span>
                  )}{" "}
                  — {tool.description}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div>
      <dt className="text-xs text-subtle">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

/** The last step: everything the builder produced, then the operator's decision to publish. */
export function Review({ report }: { report: GenerationReport }) {
  const summaries = [...(report.report.agents ?? [])].sort((a, b) => Number(b.entry) - Number(a.entry));
  const entry = summaries[0];
  const agents = useGeneratedAgents(summaries.map((s) => s.agentId));
  const profile = useAgentProfile(entry?.agentId ?? "");
  const publish = usePublishAll();

  if (!entry) return <ErrorState error={new Error("The generation produced no agents.")} />;
  if (agents.isPending) return <LoadingState label="Loading the drafted agents…" />;
  if (agents.isError) return <ErrorState error={agents.error} onRetry={() => agents.refetch()} />;
  const byId = new Map(agents.data.map((a) => [a.id, a]));
  const allLive = agents.data.every((a) => a.publishedVersion === a.latestVersion);
  const uncovered = report.report.uncovered ?? [];
  const r = report.report;

  return (
    <div className="grid gap-6">
      <Card className="grid gap-4">
        <div>
          <CardTitle>Review the drafts</CardTitle>
          <CardDescription>
            {allLive
              ? "These agents are live. Open one to change it; each save is a new version."
              : "Nothing is live yet. Read what each agent will do and check the facts and their sources, then publish: every agent goes live at its drafted version, so handoffs between them work at once."}
          </CardDescription>
        </div>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label="Agents" value={summaries.length} />
          <Stat label="Facts" value={r.profileFacts ?? "—"} />
          <Stat label="Procedures" value={r.procedures ?? "—"} />
          <Stat label="Starter tests" value={r.tests ?? "—"} />
          <Stat label="Built in" value={formatMs(r.totalMs) ?? "—"} />
        </dl>
        <details className="rounded-md border border-border">
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium">
            How it was built{r.model ? ` (with ${r.model.split("|").at(-1)})` : ""}
          </summary>
          <div className="border-t border-border p-2">
            <StageList stages={inPipelineOrder(r.stages ?? [])} progress={{}} />
            {r.modelCallTotals && (
              <p className="px-3 pt-2 text-xs text-subtle">
                {r.modelCallTotals.count} model calls · {r.modelCallTotals.inputTokens} input and{" "}
                {r.modelCallTotals.outputTokens} output tokens
              </p>
            )}
          </div>
        </details>
        {uncovered.length > 0 && (
          <div className="grid gap-1.5 rounded-md bg-secondary/25 p-3 text-sm dark:bg-brand-orange/15">
            <p className="flex items-center gap-2 font-medium">
              <AlertTriangle className="size-4" aria-hidden /> Not covered yet
            </p>
            <ul className="grid list-disc gap-0.5 pl-5" aria-label="SOP items not covered">
              {uncovered.map((u) => (
                <li key={`${u.item}-${u.reason}`}>
                  <span className="font-medium">{u.item}</span>: {u.reason}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Card>

      <Tabs defaultValue={entry.agentId}>
        <TabsList aria-label="Generated agents">
          {summaries.map((s) => (
            <TabsTrigger key={s.agentId} value={s.agentId}>
              {s.role}
              {s.entry ? " (answers first)" : ""}
            </TabsTrigger>
          ))}
        </TabsList>
        {summaries.map((s) => {
          const agent = byId.get(s.agentId);
          return (
            <TabsContent key={s.agentId} value={s.agentId}>
              {agent ? (
                <AgentReview summary={s} agent={agent} />
              ) : (
                <p className="text-sm text-subtle">This agent was deleted.</p>
              )}
            </TabsContent>
          );
        })}
      </Tabs>

      {profile.isPending ? (
        <LoadingState label="Loading the business profile…" />
      ) : profile.isError ? (
        <ErrorState error={profile.error} onRetry={() => profile.refetch()} />
      ) : (
        <ProfileFacts profile={profile.data.profile} />
      )}

      {/* Kept in view at the bottom of the window: the review is long, the decision is one click. */}
      <Card
        aria-labelledby="publish-title"
        className="sticky bottom-4 z-10 flex flex-wrap items-center gap-3 border-accent/40 p-4 shadow-glow sm:p-4"
      >
        <h2 id="publish-title" className="sr-only">
          Publish
        </h2>
        <ul className="flex basis-full flex-wrap gap-2" aria-label="Generated agents and their state">
          {agents.data.map((a) => (
            <li key={a.id} className="flex items-center gap-1.5 rounded-full bg-muted px-3 py-1 text-sm">
              {a.name} <StatusBadge status={a.publishedVersion === a.latestVersion ? "published" : "draft"} />
            </li>
          ))}
        </ul>
        {allLive ? (
          <>
            <p role="status" className="flex items-center gap-2 text-sm font-medium text-success">
              <CheckCircle2 className="size-4" aria-hidden /> Published. Your agents answer customers now.
            </p>
            <Link
              to="/agents/$agentId"
              params={{ agentId: entry.agentId }}
              search={{ tab: "playground" }}
              className={buttonVariants()}
            >
              Try {entry.role} in the playground <ArrowRight aria-hidden />
            </Link>
          </>
        ) : (
          <>
            <FormError error={publish.error} />
            <Button
              title="Every agent above goes live at its drafted version, so handoffs between them work at once."
              disabled={publish.isPending}
              onClick={() => publish.mutate(agents.data.map((a) => ({ id: a.id, version: a.latestVersion })))}
            >
              <Rocket aria-hidden /> {publish.isPending ? "Publishing…" : "Publish agents"}
            </Button>
          </>
        )}
      </Card>
    </div>
  );
}
