import type { Agent, AgentConfig, AgentHandoff, HandoffContextPolicy } from "@oratio/sdk";
import { Plus, Trash2 } from "lucide-react";
import { type FormEvent, type ReactNode, useState } from "react";
import { Field } from "../../../components/form-field.tsx";
import { Markdown } from "../../../components/markdown.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card, CardTitle } from "../../../components/ui/card.tsx";
import { NativeSelect } from "../../../components/ui/input.tsx";
import { Label } from "../../../components/ui/label.tsx";
import { Textarea } from "../../../components/ui/textarea.tsx";
import { useAgentChoices } from "../api/queries.ts";
import { ModelPicker } from "./model-picker.tsx";

const EMPTY: AgentConfig = {
  name: "",
  instructions: "",
  greeting: "",
  model: { providerId: "local", model: "" },
  knowledgeBaseIds: [],
  handoffs: [],
};

const optionalNumber = (value: string): number | undefined =>
  value.trim() === "" ? undefined : Number(value);

/** Drops empty optional text so the server keeps its defaults. */
function cleaned(config: AgentConfig): AgentConfig {
  const out: AgentConfig = { ...config };
  if (!out.greeting) delete out.greeting;
  if (out.fallbacks?.length === 0) delete out.fallbacks;
  return out;
}

/**
 * The agent's whole configuration. `advanced` adds fallbacks, tools, human-handoff rules
 * and limits (the configuration tab); creating an agent asks only for the essentials.
 */
export function AgentForm({
  agent,
  advanced,
  submitLabel,
  pending,
  error,
  onSubmit,
  extraActions,
}: {
  agent?: Agent;
  advanced: boolean;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (config: AgentConfig) => void;
  extraActions?: (config: AgentConfig) => ReactNode;
}) {
  const [config, setConfig] = useState<AgentConfig>(() => ({ ...EMPTY, ...agent?.config }));
  const [preview, setPreview] = useState(false);
  // Kept as typed, so commas and spaces survive until the list is parsed from it.
  const [keywords, setKeywords] = useState(() => (agent?.config.humanHandoff?.keywords ?? []).join(", "));
  const { providers, knowledge, tools, agents } = useAgentChoices();
  const set = (changes: Partial<AgentConfig>) => setConfig((c) => ({ ...c, ...changes }));
  const otherAgents = (agents.data ?? []).filter((a) => a.id !== agent?.id);
  const handoffOf = (id: string) => config.handoffs?.find((h) => h.agentId === id);
  const toggle = (list: string[] | undefined, id: string, on: boolean) =>
    on ? [...(list ?? []), id] : (list ?? []).filter((x) => x !== id);

  function setHandoff(id: string, handoff: AgentHandoff | null) {
    const rest = (config.handoffs ?? []).filter((h) => h.agentId !== id);
    set({ handoffs: handoff ? [...rest, handoff] : rest });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(cleaned(config));
  }

  const human = config.humanHandoff ?? {};
  const limits = config.limits ?? {};
  return (
    <form onSubmit={submit} className="grid gap-6" aria-label="Agent configuration">
      <Card className="grid gap-4">
        <CardTitle>Basics</CardTitle>
        <Field
          id="agent-name"
          label="Name"
          required
          value={config.name}
          onChange={(e) => set({ name: e.target.value })}
        />
        <div className="grid gap-1.5">
          <div className="flex items-center justify-between">
            <Label htmlFor="agent-instructions">Instructions</Label>
            <Button variant="ghost" size="sm" aria-pressed={preview} onClick={() => setPreview((p) => !p)}>
              {preview ? "Edit instructions" : "Preview instructions"}
            </Button>
          </div>
          {preview ? (
            <section
              aria-label="Instructions preview"
              className="min-h-40 rounded-md border border-border bg-background p-3"
            >
              <Markdown source={config.instructions || "_Nothing yet._"} />
            </section>
          ) : (
            <Textarea
              id="agent-instructions"
              required
              rows={10}
              className="font-mono"
              value={config.instructions}
              placeholder={
                "# Role\nYou are the front desk of …\n\n## Rules\n- Answer from the knowledge base"
              }
              onChange={(e) => set({ instructions: e.target.value })}
            />
          )}
          <p className="text-xs text-subtle">Markdown: headings, lists, **bold**, *italic*.</p>
        </div>
        <Field
          id="agent-greeting"
          label="Greeting"
          hint="The first thing the agent says when a conversation starts (optional)."
          value={config.greeting ?? ""}
          onChange={(e) => set({ greeting: e.target.value })}
        />
      </Card>

      <Card className="grid gap-4">
        <CardTitle>Model</CardTitle>
        <ModelPicker
          id="agent-model"
          label="Model"
          value={config.model}
          providers={providers.data ?? []}
          onChange={(model) => set({ model })}
        />
        {advanced && (
          <div className="grid gap-3">
            <p className="text-sm font-medium">Fallbacks, tried in order when the model fails</p>
            {(config.fallbacks ?? []).map((fallback, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fallbacks are ordered and edited in place
              <div key={n} className="flex items-end gap-2">
                <div className="flex-1">
                  <ModelPicker
                    id={`fallback-${n + 1}`}
                    label={`Fallback ${n + 1}`}
                    value={fallback}
                    providers={providers.data ?? []}
                    onChange={(value) =>
                      set({ fallbacks: config.fallbacks?.map((f, i) => (i === n ? value : f)) })
                    }
                  />
                </div>
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove fallback ${n + 1}`}
                  onClick={() => set({ fallbacks: config.fallbacks?.filter((_, i) => i !== n) })}
                >
                  <Trash2 aria-hidden />
                </Button>
              </div>
            ))}
            <Button
              variant="outline"
              size="sm"
              className="justify-self-start"
              onClick={() =>
                set({ fallbacks: [...(config.fallbacks ?? []), { providerId: "local", model: "" }] })
              }
            >
              <Plus aria-hidden /> Add fallback
            </Button>
          </div>
        )}
      </Card>

      <Card className="grid gap-3">
        <CardTitle>Knowledge bases</CardTitle>
        {(knowledge.data ?? []).length === 0 ? (
          <p className="text-sm text-subtle">No knowledge bases yet. Create one under Knowledge.</p>
        ) : (
          <div className="grid gap-2 sm:grid-cols-2">
            {(knowledge.data ?? []).map((kb) => (
              <label key={kb.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-4 accent-(--color-brand-violet)"
                  checked={config.knowledgeBaseIds?.includes(kb.id) ?? false}
                  onChange={(e) =>
                    set({ knowledgeBaseIds: toggle(config.knowledgeBaseIds, kb.id, e.target.checked) })
                  }
                />
                {kb.name} <span className="text-subtle">({kb.documentCount} documents)</span>
              </label>
            ))}
          </div>
        )}
      </Card>

      {advanced && (
        <Card className="grid gap-3">
          <CardTitle>Tools</CardTitle>
          {(tools.data ?? []).length === 0 ? (
            <p className="text-sm text-subtle">No tools defined for this organization yet.</p>
          ) : (
            <div className="grid gap-2 sm:grid-cols-2">
              {(tools.data ?? []).map((tool) => (
                <label key={tool.id} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4"
                    checked={config.toolIds?.includes(tool.id) ?? false}
                    onChange={(e) => set({ toolIds: toggle(config.toolIds, tool.id, e.target.checked) })}
                  />
                  {tool.name} <span className="text-subtle">({tool.kind})</span>
                </label>
              ))}
            </div>
          )}
        </Card>
      )}

      <Card className="grid gap-3">
        <CardTitle>Handoffs to other agents</CardTitle>
        {otherAgents.length === 0 ? (
          <p className="text-sm text-subtle">No other agents to hand off to yet.</p>
        ) : (
          <ul className="grid gap-2">
            {otherAgents.map((other) => {
              const handoff = handoffOf(other.id);
              return (
                <li key={other.id} className="flex flex-wrap items-center gap-3 text-sm">
                  <label className="flex min-w-40 items-center gap-2">
                    <input
                      type="checkbox"
                      className="size-4"
                      checked={Boolean(handoff)}
                      onChange={(e) =>
                        setHandoff(
                          other.id,
                          e.target.checked ? { agentId: other.id, context: "summary" } : null,
                        )
                      }
                    />
                    Hand off to {other.name}
                  </label>
                  {handoff && (
                    <span className="flex items-center gap-2">
                      <Label htmlFor={`context-${other.id}`} className="text-xs text-subtle">
                        Context for {other.name}
                      </Label>
                      <NativeSelect
                        id={`context-${other.id}`}
                        className="h-8 w-auto"
                        value={handoff.context ?? "summary"}
                        onChange={(e) =>
                          setHandoff(other.id, {
                            ...handoff,
                            context: e.target.value as HandoffContextPolicy,
                          })
                        }
                      >
                        <option value="full">Full conversation</option>
                        <option value="summary">Summary</option>
                        <option value="none">Nothing</option>
                      </NativeSelect>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Card>

      {advanced && (
        <Card className="grid gap-4">
          <CardTitle>Human handoff</CardTitle>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4"
              checked={human.enabled ?? true}
              onChange={(e) => set({ humanHandoff: { ...human, enabled: e.target.checked } })}
            />
            Let the agent ask for a person
          </label>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              id="human-keywords"
              label="Keywords that ask for a person"
              hint="Comma-separated, e.g. human, manager"
              value={keywords}
              onChange={(e) => {
                setKeywords(e.target.value);
                set({
                  humanHandoff: {
                    ...human,
                    keywords: e.target.value
                      .split(",")
                      .map((k) => k.trim())
                      .filter(Boolean),
                  },
                });
              }}
            />
            <Field
              id="human-message"
              label="Message while waiting for a person"
              value={human.message ?? ""}
              onChange={(e) => set({ humanHandoff: { ...human, message: e.target.value || undefined } })}
            />
            <Field
              id="human-max-requests"
              label="Repeated requests before handing off"
              type="number"
              min={1}
              max={10}
              value={human.maxHumanRequests ?? ""}
              onChange={(e) =>
                set({ humanHandoff: { ...human, maxHumanRequests: optionalNumber(e.target.value) } })
              }
            />
            <Field
              id="human-max-failures"
              label="Tool failures before handing off"
              type="number"
              min={1}
              max={20}
              value={human.maxToolFailures ?? ""}
              onChange={(e) =>
                set({ humanHandoff: { ...human, maxToolFailures: optionalNumber(e.target.value) } })
              }
            />
          </div>
        </Card>
      )}

      {advanced && (
        <Card className="grid gap-4">
          <CardTitle>Limits</CardTitle>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field
              id="limit-turns"
              label="Maximum turns"
              type="number"
              min={1}
              max={1000}
              value={limits.maxTurns ?? ""}
              onChange={(e) => set({ limits: { ...limits, maxTurns: optionalNumber(e.target.value) } })}
            />
            <Field
              id="limit-minutes"
              label="Maximum session minutes"
              type="number"
              min={1}
              max={1440}
              value={limits.maxSessionMinutes ?? ""}
              onChange={(e) =>
                set({ limits: { ...limits, maxSessionMinutes: optionalNumber(e.target.value) } })
              }
            />
            <Field
              id="limit-tools"
              label="Maximum tool calls per turn"
              type="number"
              min={1}
              max={500}
              value={limits.maxToolCalls ?? ""}
              onChange={(e) => set({ limits: { ...limits, maxToolCalls: optionalNumber(e.target.value) } })}
            />
          </div>
        </Card>
      )}

      <FormError error={error} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {extraActions?.(cleaned(config))}
      </div>
    </form>
  );
}
