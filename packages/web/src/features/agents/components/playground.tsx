import type { Agent } from "@oratio/sdk";
import { ArrowRightLeft, RotateCcw, Send } from "lucide-react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Sources } from "../../../components/conversation/sources.tsx";
import { ToolCallView } from "../../../components/conversation/tool-call.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card } from "../../../components/ui/card.tsx";
import { Label } from "../../../components/ui/label.tsx";
import { Textarea } from "../../../components/ui/textarea.tsx";
import { useApi } from "../../../lib/api.tsx";
import { cn } from "../../../lib/utils.ts";
import { applyEvent, type ChatItem, greetingItem, userItem } from "./chat-items.ts";
import { VoiceCallPanel } from "./voice-call-panel.tsx";

/** Chat with the agent's latest version (published or not), and call it by voice. */
export function Playground({ agent }: { agent: Agent }) {
  return (
    <div className="grid gap-4">
      <ChatPlayground agent={agent} />
      <VoiceCallPanel agent={agent} />
    </div>
  );
}

/** Chat, streaming the agent's reply as it is written. */
function ChatPlayground({ agent }: { agent: Agent }) {
  const client = useApi();
  const initial = () => (agent.config.greeting ? [greetingItem(agent.slug, agent.config.greeting)] : []);
  const [items, setItems] = useState<ChatItem[]>(initial);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => () => abort.current?.abort(), []);
  // Keep the newest message in view as the reply streams in.
  const itemCount = items.length;
  const lastLength = JSON.stringify(items.at(-1) ?? null).length;
  useEffect(() => {
    if (itemCount + lastLength > 0) end.current?.scrollIntoView?.({ block: "nearest" });
  }, [itemCount, lastLength]);

  async function send(event: FormEvent) {
    event.preventDefault();
    const message = text.trim();
    if (!message || busy) return;
    setText("");
    setError(null);
    setBusy(true);
    setItems((list) => [...list, userItem(message)]);
    const controller = new AbortController();
    abort.current = controller;
    try {
      let id = sessionId;
      if (!id) {
        const session = await client.sessions.create(
          {
            agentId: agent.id,
            channel: "chat",
            version: agent.latestVersion,
            metadata: { source: "playground" },
          },
          { signal: controller.signal },
        );
        id = session.id;
        setSessionId(id);
      }
      for await (const streamed of client.sessions.stream(id, message, { signal: controller.signal })) {
        setItems((list) => applyEvent(list, streamed));
      }
    } catch (cause) {
      if (!controller.signal.aborted) setError(cause);
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    abort.current?.abort();
    // The old conversation stays in Sessions; ending it keeps it from looking live.
    if (sessionId) client.sessions.end(sessionId).catch(() => undefined);
    setSessionId(null);
    setItems(initial());
    setError(null);
    setBusy(false);
  }

  return (
    <Card className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-subtle">
          Talking to v{agent.latestVersion}
          {agent.publishedVersion === agent.latestVersion ? " (published)" : " (not published yet)"}
        </p>
        <Button variant="outline" size="sm" onClick={restart}>
          <RotateCcw aria-hidden /> New conversation
        </Button>
      </div>
      <section
        aria-label="Conversation"
        aria-live="polite"
        aria-busy={busy}
        className="grid max-h-[32rem] min-h-64 content-start gap-3 overflow-y-auto rounded-md bg-background p-3"
      >
        {items.length === 0 && <p className="text-sm text-subtle">Send a message to start a conversation.</p>}
        {items.map((item) => (
          <ChatItemView key={item.id} item={item} />
        ))}
        {busy && <p className="text-xs text-subtle">{agent.name} is answering…</p>}
        <div ref={end} />
      </section>
      <FormError error={error} />
      <form onSubmit={send} className="flex items-end gap-2">
        <div className="grid flex-1 gap-1.5">
          <Label htmlFor="playground-message" className="sr-only">
            Message
          </Label>
          <Textarea
            id="playground-message"
            rows={2}
            className="min-h-12"
            placeholder="Ask something a customer would ask…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
        </div>
        <Button type="submit" disabled={busy || !text.trim()}>
          <Send aria-hidden /> Send message
        </Button>
      </form>
    </Card>
  );
}

function ChatItemView({ item }: { item: ChatItem }) {
  switch (item.kind) {
    case "user":
      return (
        <div className="max-w-[85%] justify-self-end rounded-lg rounded-br-sm bg-primary px-3 py-2 text-sm text-primary-foreground">
          {item.text}
        </div>
      );
    case "assistant":
      return (
        <article
          aria-label={`Reply from ${item.agent}`}
          className={cn(
            "max-w-[85%] justify-self-start rounded-lg rounded-bl-sm border border-border bg-surface px-3 py-2 text-sm",
          )}
        >
          <p className="mb-0.5 text-xs font-medium text-subtle">{item.agent}</p>
          <p className="whitespace-pre-wrap">{item.text || "…"}</p>
          <Sources sources={item.citations} />
        </article>
      );
    case "tool":
      return (
        <div className="max-w-[85%]">
          <ToolCallView name={item.name} args={item.args} result={item.result} isError={item.isError} />
        </div>
      );
    case "handoff":
      return (
        <p className="flex items-center gap-2 justify-self-center rounded-full bg-muted px-3 py-1 text-xs">
          <ArrowRightLeft className="size-3.5" aria-hidden /> Handed off from {item.from} to {item.to}
          {item.reason ? ` — ${item.reason}` : ""}
        </p>
      );
    case "notice":
      return (
        <p
          role={item.tone === "error" ? "alert" : undefined}
          className={cn(
            "justify-self-center rounded-full px-3 py-1 text-xs",
            item.tone === "error"
              ? "bg-destructive/10 text-destructive"
              : "bg-secondary text-secondary-foreground",
          )}
        >
          {item.text}
        </p>
      );
  }
}
