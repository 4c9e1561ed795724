import type { Agent } from "@oratio/sdk";
import { Link } from "@tanstack/react-router";

const WIDTH = 640;
const NODE_W = 132;
const NODE_H = 40;

/**
 * The agent set as a graph: agents on a circle, an arrow for each handoff. Plain SVG; with
 * a handful of agents a circle keeps every arrow visible without a layout library.
 */
export function HandoffGraph({ agents }: { agents: Agent[] }) {
  // A few agents need little room; the circle grows with the set.
  const HEIGHT = agents.length <= 1 ? 64 : agents.length <= 3 ? 200 : 320;
  const cx = WIDTH / 2;
  const cy = HEIGHT / 2;
  const rx = agents.length > 1 ? WIDTH / 2 - NODE_W / 2 - 8 : 0;
  const ry = agents.length > 1 ? HEIGHT / 2 - NODE_H / 2 - 8 : 0;
  const position = new Map(
    agents.map((agent, i) => {
      const angle = (2 * Math.PI * i) / agents.length - Math.PI / 2;
      return [agent.id, { x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle) }];
    }),
  );
  const edges = agents.flatMap((agent) =>
    (agent.config.handoffs ?? [])
      .filter((h) => position.has(h.agentId))
      .map((h) => ({ from: agent, to: h.agentId, context: h.context ?? "summary" })),
  );
  const names = new Map(agents.map((a) => [a.id, a.name]));
  const description = edges.length
    ? edges.map((e) => `${e.from.name} hands off to ${names.get(e.to)}`).join("; ")
    : "No handoffs between agents yet.";

  return (
    <figure className="grid gap-2">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="mx-auto h-auto w-full max-w-3xl"
        role="img"
        aria-label={`Handoff graph. ${description}`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="fill-accent dark:fill-[#b084ff]" />
          </marker>
        </defs>
        {edges.map((edge) => {
          const a = position.get(edge.from.id);
          const b = position.get(edge.to);
          if (!a || !b) return null;
          // Stop the arrow at the target box's edge.
          const dx = b.x - a.x;
          const dy = b.y - a.y;
          const scale = Math.min(NODE_W / 2 / Math.abs(dx || 1e-6), NODE_H / 2 / Math.abs(dy || 1e-6), 1);
          // Parallel arrows (A→B and B→A) are pushed apart so both stay visible.
          const len = Math.hypot(dx, dy) || 1;
          const ox = (-dy / len) * 6;
          const oy = (dx / len) * 6;
          return (
            <g key={`${edge.from.id}-${edge.to}`}>
              <line
                x1={a.x + dx * scale + ox}
                y1={a.y + dy * scale + oy}
                x2={b.x - dx * scale + ox}
                y2={b.y - dy * scale + oy}
                className="stroke-accent dark:stroke-[#b084ff]"
                strokeWidth={2}
                markerEnd="url(#arrow)"
              />
              <title>{`${edge.from.name} → ${names.get(edge.to)} (${edge.context} context)`}</title>
            </g>
          );
        })}
        {agents.map((agent) => {
          const p = position.get(agent.id);
          if (!p) return null;
          return (
            <g key={agent.id}>
              <rect
                x={p.x - NODE_W / 2}
                y={p.y - NODE_H / 2}
                width={NODE_W}
                height={NODE_H}
                rx={12}
                className="fill-surface stroke-border"
                strokeWidth={1.5}
              />
              <text
                x={p.x}
                y={p.y + 5}
                textAnchor="middle"
                className="fill-foreground text-[13px] font-medium"
              >
                {agent.name.length > 16 ? `${agent.name.slice(0, 15)}…` : agent.name}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="text-xs text-subtle">
        {edges.length ? (
          <ul className="grid gap-0.5">
            {edges.map((e) => (
              <li key={`${e.from.id}-${e.to}`}>
                <Link to="/agents/$agentId" params={{ agentId: e.from.id }} className="hover:underline">
                  {e.from.name}
                </Link>{" "}
                → {names.get(e.to)} ({e.context} context)
              </li>
            ))}
          </ul>
        ) : (
          description
        )}
      </figcaption>
    </figure>
  );
}
