import type { CitedSource, TurnStreamEvent } from "@oratio/sdk";

/** What the playground shows, built up from a turn's stream events. */
export type ChatItem =
  | { id: string; kind: "user"; text: string }
  | { id: string; kind: "assistant"; agent: string; text: string; citations: CitedSource[] }
  | {
      id: string;
      kind: "tool";
      toolCallId: string;
      name: string;
      args: unknown;
      result?: string;
      isError?: boolean;
    }
  | { id: string; kind: "handoff"; from: string; to: string; reason?: string }
  | { id: string; kind: "notice"; text: string; tone: "info" | "error" };

let counter = 0;
const nextId = () => `item-${++counter}`;

/** Applies one stream event to the list; pure, so the order of events alone decides the view. */
export function applyEvent(items: ChatItem[], event: TurnStreamEvent): ChatItem[] {
  const last = items.at(-1);
  switch (event.type) {
    case "text-delta":
      if (last?.kind === "assistant" && last.agent === event.agent) {
        return [...items.slice(0, -1), { ...last, text: last.text + event.text }];
      }
      return [
        ...items,
        { id: nextId(), kind: "assistant", agent: event.agent, text: event.text, citations: [] },
      ];
    case "tool-call":
      return [
        ...items,
        { id: nextId(), kind: "tool", toolCallId: event.toolCallId, name: event.name, args: event.args },
      ];
    case "tool-result":
      return items.map((item) =>
        item.kind === "tool" && item.toolCallId === event.toolCallId
          ? { ...item, result: event.result, isError: event.isError }
          : item,
      );
    case "citation": {
      // Citations come before the answer text: keep them until the next assistant message.
      const pending = items.findLastIndex((i) => i.kind === "assistant" || i.kind === "user");
      const target = items[pending];
      if (target?.kind === "assistant" && pending === items.length - 1) {
        return [
          ...items.slice(0, -1),
          { ...target, citations: addCitation(target.citations, event.citation) },
        ];
      }
      return [
        ...items,
        { id: nextId(), kind: "assistant", agent: event.agent, text: "", citations: [event.citation] },
      ];
    }
    case "handoff":
      return [
        ...items,
        { id: nextId(), kind: "handoff", from: event.from, to: event.to, reason: event.reason },
      ];
    case "needs-human":
      return [
        ...items,
        { id: nextId(), kind: "notice", tone: "info", text: `Asked for a person: ${event.detail}` },
      ];
    case "session-end":
      return [
        ...items,
        { id: nextId(), kind: "notice", tone: "info", text: `The conversation ended (${event.reason}).` },
      ];
    case "operator-message":
      return [
        ...items,
        { id: nextId(), kind: "assistant", agent: "operator", text: event.text, citations: [] },
      ];
    case "error":
      return [...items, { id: nextId(), kind: "notice", tone: "error", text: event.error.message }];
    default:
      return items;
  }
}

function addCitation(list: CitedSource[], citation: CitedSource): CitedSource[] {
  return list.some((c) => c.id === citation.id) ? list : [...list, citation];
}

export function userItem(text: string): ChatItem {
  return { id: nextId(), kind: "user", text };
}

export function greetingItem(agent: string, text: string): ChatItem {
  return { id: nextId(), kind: "assistant", agent, text, citations: [] };
}
