import type { KnowledgeRetriever } from "./citations.ts";
import { defineTool, type Tool } from "./tool.ts";
import { type AgentDefinition, type AgentDirectory, findAgent } from "./types.ts";

export const SEARCH_KNOWLEDGE = "search_knowledge";
export const REQUEST_HUMAN = "request_human";
export const END_SESSION = "end_session";
export const HANDOFF_PREFIX = "transfer_to_";

/** Tool name for a handoff to `slug`; model APIs allow only [a-zA-Z0-9_-]. */
export function handoffToolName(slug: string): string {
  return `${HANDOFF_PREFIX}${slug.replace(/[^a-zA-Z0-9_-]/g, "_")}`.slice(0, 64);
}

/** Retrieval over the agent's knowledge bases; every returned chunk is cited on the reply. */
export function searchKnowledgeTool(
  retriever: KnowledgeRetriever,
  knowledgeBaseIds: string[],
  topK = 4,
): Tool {
  return defineTool<{ query: string }>({
    name: SEARCH_KNOWLEDGE,
    description:
      "Search the business's knowledge (documents, SOPs, website) for facts needed to answer. " +
      "Use the returned passages; do not invent facts that are not in them.",
    parameters: {
      type: "object",
      properties: {
        query: { type: "string", minLength: 1, description: "What to look up, in plain words." },
      },
      required: ["query"],
      additionalProperties: false,
    },
    async execute({ query }, ctx) {
      const chunks = await retriever.search(query, { knowledgeBaseIds, topK, signal: ctx.signal });
      if (chunks.length === 0) return "No relevant passages were found.";
      return chunks
        .map((chunk, i) => {
          ctx.cite({
            id: chunk.id,
            documentId: chunk.documentId,
            title: chunk.title,
            url: chunk.url,
            page: chunk.page,
            headingPath: chunk.headingPath,
            snippet: chunk.text.slice(0, 300),
            score: chunk.score,
          });
          return `[${i + 1}] ${chunk.title ?? chunk.documentId}\n${chunk.text}`;
        })
        .join("\n\n");
    },
  });
}

export function requestHumanTool(): Tool {
  return defineTool<{ reason: string }>({
    name: REQUEST_HUMAN,
    description:
      "Ask a human colleague to take over, when the caller asks for a person or you cannot help. " +
      "Tell the caller that a person has been asked to join.",
    parameters: {
      type: "object",
      properties: { reason: { type: "string", description: "Why a human is needed." } },
      required: ["reason"],
      additionalProperties: false,
    },
    execute({ reason }, ctx) {
      ctx.control.requestHuman(reason);
      return "A human colleague has been notified and will join shortly.";
    },
  });
}

export function endSessionTool(): Tool {
  return defineTool<{ reason?: string }>({
    name: END_SESSION,
    description: "End the conversation once the caller is done. Say goodbye in the same reply.",
    parameters: {
      type: "object",
      properties: { reason: { type: "string" } },
      additionalProperties: false,
    },
    execute({ reason }, ctx) {
      ctx.control.endSession(reason ?? "completed");
      return "The session will end after this reply.";
    },
  });
}

export function handoffTool(target: AgentDefinition, description?: string): Tool {
  return defineTool<{ reason?: string }>({
    name: handoffToolName(target.slug),
    description: description ?? `Transfer the conversation to ${target.name}.`,
    parameters: {
      type: "object",
      properties: { reason: { type: "string", description: "One sentence for the receiving agent." } },
      additionalProperties: false,
    },
    execute({ reason }, ctx) {
      const answer = ctx.control.transfer(target.slug, reason);
      if (!answer.accepted) throw new Error(`${answer.reason} Keep helping the caller yourself.`);
      return `Transferring to ${target.name}.`;
    },
  });
}

// Built per agent once, not per model call: compiling the parameter validators is the
// costliest part of a zero-latency turn.
const toolCache = new WeakMap<
  AgentDefinition,
  { directory: AgentDirectory; retriever: KnowledgeRetriever | undefined; tools: Tool[] }
>();

/** Every tool the agent offers this turn: its own, knowledge, human, end and one per handoff target. */
export function toolsForAgent(
  agent: AgentDefinition,
  directory: AgentDirectory,
  retriever: KnowledgeRetriever | undefined,
): Tool[] {
  const cached = toolCache.get(agent);
  if (cached && cached.directory === directory && cached.retriever === retriever) return cached.tools;
  const tools = buildTools(agent, directory, retriever);
  toolCache.set(agent, { directory, retriever, tools });
  return tools;
}

function buildTools(
  agent: AgentDefinition,
  directory: AgentDirectory,
  retriever: KnowledgeRetriever | undefined,
): Tool[] {
  const tools: Tool[] = [...(agent.tools ?? [])];
  const kbIds = agent.knowledge?.knowledgeBaseIds ?? [];
  if (retriever && kbIds.length > 0) tools.push(searchKnowledgeTool(retriever, kbIds, agent.knowledge?.topK));
  if (agent.allowHumanHandoff !== false) tools.push(requestHumanTool());
  if (agent.allowEndSession !== false) tools.push(endSessionTool());
  for (const spec of agent.handoffs ?? []) {
    const target = findAgent(directory, spec.to);
    // A handoff to an agent missing from the directory is configuration drift; offering
    // the tool would only produce failing calls, so leave it out.
    if (target && target.slug !== agent.slug) tools.push(handoffTool(target, spec.description));
  }
  return tools;
}
